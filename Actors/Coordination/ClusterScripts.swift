// Lua scripts run atomically by Redis for the cluster protocol (EVALSHA).

import Protocols

/// The cluster's Lua scripts. Each runs atomically in Redis, so concurrent votes and lease
/// operations from several agents never interleave.
public enum ClusterScripts {
    /// Atomic vote tally with fencing token.
    ///
    /// KEYS[1] votes hash of the proposal, KEYS[2] fencing counter, KEYS[3] decision hash.
    /// ARGV[1] voter id, ARGV[2] `1` approve / `0` reject, ARGV[3] required approvals,
    /// ARGV[4] live members, ARGV[5] TTL of votes and decision, ms.
    /// Returns `{status, approvals, rejections, token, decided_now}`: status 0 pending,
    /// 1 approved, 2 rejected. A voter's first vote counts (HSETNX). When approvals reach
    /// the requirement the token is `INCR`ed once and the decision stored; later votes
    /// return the stored decision with `decided_now = 0`.
    public static let tallySource = """
    local stored = redis.call('HMGET', KEYS[3], 'status', 'approvals', 'rejections', 'token')
    if stored[1] then
      return {tonumber(stored[1]), tonumber(stored[2]), tonumber(stored[3]), tonumber(stored[4]), 0}
    end
    redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
    redis.call('PEXPIRE', KEYS[1], ARGV[5])
    local approvals, rejections = 0, 0
    for _, v in ipairs(redis.call('HVALS', KEYS[1])) do
      if v == '1' then approvals = approvals + 1 else rejections = rejections + 1 end
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
      return {0, approvals, rejections, 0, 0}
    end
    redis.call('HSET', KEYS[3], 'status', status, 'approvals', approvals, 'rejections', rejections, 'token', token)
    redis.call('PEXPIRE', KEYS[3], ARGV[5])
    return {status, approvals, rejections, token, 1}
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
