// Lua scripts run atomically by Redis for the cluster protocol (EVALSHA).

import Protocols

/// The cluster's Lua scripts. Each runs atomically in Redis, so concurrent votes and lease
/// operations from several agents never interleave.
public enum ClusterScripts {
    /// Atomic vote tally with fencing token; the deciding vote also appends the decision.
    ///
    /// KEYS[1] votes hash of the proposal, KEYS[2] fencing counter, KEYS[3] decision hash,
    /// KEYS[4] decision stream.
    /// ARGV[1] voter id, ARGV[2] `1` approve / `0` reject, ARGV[3] required approvals,
    /// ARGV[4] live members, ARGV[5] TTL of votes and decision, ms, ARGV[6] the voter's
    /// signed vote (wire bytes; may be empty), ARGV[7] the signed proposal (wire bytes, sent
    /// by the proposer with its own vote; empty from other voters), ARGV[8] MAXLEN of the
    /// decision stream.
    ///
    /// Returns `{status, approvals, rejections, token, decided_now, appended}`: status 0
    /// pending, 1 approved, 2 rejected. A voter's first vote counts (HSETNX; the hash maps
    /// voter → verdict byte + signed vote). When approvals reach the requirement the token
    /// is `INCR`ed once and the decision stored; later votes return the stored decision
    /// with `decided_now = 0`. When the signed proposal and every vote's signature are at
    /// hand, the deciding vote `XADD`s the decision certificate (see `DecisionCertificate`)
    /// in the same atomic step and returns `appended = 1`; otherwise (or if that `XADD`
    /// fails) the decision stays stored and the decider appends a signed decision itself.
    public static let tallySource = """
    local stored = redis.call('HMGET', KEYS[3], 'status', 'approvals', 'rejections', 'token')
    if stored[1] then
      return {tonumber(stored[1]), tonumber(stored[2]), tonumber(stored[3]), tonumber(stored[4]), 0, 0}
    end
    if ARGV[7] ~= '' then
      redis.call('HSETNX', KEYS[3], 'proposal', ARGV[7])
      redis.call('PEXPIRE', KEYS[3], ARGV[5])
    end
    redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2] .. ARGV[6])
    redis.call('PEXPIRE', KEYS[1], ARGV[5])
    local votes = redis.call('HGETALL', KEYS[1])
    local approvals, rejections = 0, 0
    for i = 2, #votes, 2 do
      if string.sub(votes[i], 1, 1) == '1' then approvals = approvals + 1 else rejections = rejections + 1 end
    end
    local required = tonumber(ARGV[3])
    local live = tonumber(ARGV[4])
    local status, token = 0, 0
    if approvals >= required then
      status = 1
      token = redis.call('INCR', KEYS[2])
    elseif rejections > live - required then
      status = 2
    end
    if status == 0 then
      return {0, approvals, rejections, 0, 0, 0}
    end
    redis.call('HSET', KEYS[3], 'status', status, 'approvals', approvals, 'rejections', rejections, 'token', token)
    redis.call('PEXPIRE', KEYS[3], ARGV[5])
    local proposal = redis.call('HGET', KEYS[3], 'proposal')
    if not proposal then
      return {status, approvals, rejections, token, 1, 0}
    end
    local entry = {'p', proposal, 's', tostring(status), 't', string.format('%.0f', token), 'd', ARGV[1]}
    for i = 2, #votes, 2 do
      if string.len(votes[i]) < 2 then
        return {status, approvals, rejections, token, 1, 0}
      end
      entry[#entry + 1] = 'v'
      entry[#entry + 1] = string.sub(votes[i], 2)
    end
    if #entry > 7000 then
      return {status, approvals, rejections, token, 1, 0}
    end
    local added = redis.pcall('XADD', KEYS[4], 'MAXLEN', '~', ARGV[8], '*', unpack(entry))
    if type(added) == 'table' and added.err then
      return {status, approvals, rejections, token, 1, 0}
    end
    return {status, approvals, rejections, token, 1, 1}
    """

    /// Renews a lease only if `ARGV[1]` owns it. KEYS[1] lease key, ARGV[2] TTL ms. Returns 1 or 0.
    public static let leaseRenewSource = """
    if redis.call('GET', KEYS[1]) == ARGV[1] then
      return redis.call('PEXPIRE', KEYS[1], ARGV[2])
    end
    return 0
    """

    /// Releases a lease only if `ARGV[1]` owns it. KEYS[1] lease key. Returns 1 or 0.
    public static let leaseReleaseSource = """
    if redis.call('GET', KEYS[1]) == ARGV[1] then
      return redis.call('DEL', KEYS[1])
    end
    return 0
    """

    /// ``tallySource`` with its SHA1.
    public static let tally = RedisScript(tallySource)
    /// ``leaseRenewSource`` with its SHA1.
    public static let leaseRenew = RedisScript(leaseRenewSource)
    /// ``leaseReleaseSource`` with its SHA1.
    public static let leaseRelease = RedisScript(leaseReleaseSource)
}
