// Shim over the system hiredis 0.14 (Debian libhiredis-dev).
// Only the synchronous API is used: redisConnectWithTimeout, redisSetTimeout,
// redisCommandArgv, redisAppendCommandArgv, redisGetReply, freeReplyObject, redisFree.
#ifndef QUANTUM_AGENT_CHIREDIS_H
#define QUANTUM_AGENT_CHIREDIS_H
#include <hiredis/hiredis.h>
#endif
