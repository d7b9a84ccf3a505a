#ifndef QUANTUM_AGENT_CNUMA_H
#define QUANTUM_AGENT_CNUMA_H
#include <numa.h>
#endif
