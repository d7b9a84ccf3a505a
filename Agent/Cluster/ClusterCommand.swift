import ArgumentParser

/// `quantum-agent cluster …`: inspect and operate a cluster of agents sharing one Redis.
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Cluster mode: status, emergency halt and resume (key from QUANTUM_AGENT_CLUSTER_KEY or _FILE).",
        subcommands: [ClusterStatusCommand.self, ClusterHaltCommand.self, ClusterResumeCommand.self,
                      ClusterAgentCommand.self, ClusterProposeCommand.self]
    )
}
