// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import { AccessControl } from "@openzeppelin/contracts/access/AccessControl.sol";

/**
 * @title ReservePoolRegistry
 * @notice Ballast's on-chain registry of reserve pools, their member protocols and the risk
 * parameters of reserve assets. One registry is deployed per chain; pool and member ids are
 * `keccak256(bytes(name))`, so the same pool and member have the same ids on every chain. A member's
 * entry on a chain lists its reserve holders (treasuries, vault positions) and its liability token
 * on that chain.
 * @dev Ratios and haircuts are basis points (10_000 = 100%), durations seconds, times unix seconds.
 * Risk parameters are scheduled: a change applies from `block.timestamp + riskParameterDelay`
 * without a second transaction, so `riskParameters` always returns what is in effect now.
 */
contract ReservePoolRegistry is AccessControl {
    /// @notice Role that creates pools, sets their targets and admits or removes members.
    bytes32 public constant POOL_ADMIN_ROLE = keccak256("POOL_ADMIN_ROLE");
    /// @notice Role that schedules risk parameter changes.
    bytes32 public constant GOVERNOR_ROLE = keccak256("GOVERNOR_ROLE");

    struct Pool {
        string name;
        uint32 minRatioBps;
        uint32 targetRatioBps;
        bool exists;
    }

    struct Member {
        string name;
        address liabilityToken;
        address[] holders;
        uint64 joinedAt;
        bool active;
    }

    struct RiskParameters {
        uint16 haircutFloorBps;
        uint16 liquidationThresholdBps;
        uint32 liquidationHorizon;
        uint64 effectiveAt;
    }

    /// @notice Seconds between scheduling risk parameters and their taking effect.
    uint32 public immutable riskParameterDelay;

    mapping(bytes32 poolId => Pool) private _pools;
    mapping(bytes32 poolId => mapping(bytes32 memberId => Member)) private _members;
    /// @dev Every schedule per asset, in order; `effectiveAt` only grows because the delay is fixed.
    mapping(address asset => RiskParameters[]) private _riskSchedule;

    /// @notice A pool was created with its reserve ratio targets.
    /// @param poolId keccak256 of the pool name.
    /// @param name The pool name.
    /// @param minRatioBps Minimum pooled reserve ratio, in basis points.
    /// @param targetRatioBps Target pooled reserve ratio, in basis points.
    event PoolCreated(bytes32 indexed poolId, string name, uint32 minRatioBps, uint32 targetRatioBps);

    /// @notice A pool's reserve ratio targets changed.
    /// @param poolId The pool.
    /// @param minRatioBps New minimum ratio, in basis points.
    /// @param targetRatioBps New target ratio, in basis points.
    event PoolTargetsUpdated(bytes32 indexed poolId, uint32 minRatioBps, uint32 targetRatioBps);

    /// @notice A member protocol joined a pool on this chain.
    /// @param poolId The pool.
    /// @param memberId keccak256 of the member name.
    /// @param name The member name.
    /// @param liabilityToken The member's liability token on this chain.
    /// @param holders The member's reserve holders on this chain.
    event MemberJoined(
        bytes32 indexed poolId, bytes32 indexed memberId, string name, address liabilityToken, address[] holders
    );

    /// @notice A member protocol left a pool on this chain.
    /// @param poolId The pool.
    /// @param memberId The member.
    event MemberLeft(bytes32 indexed poolId, bytes32 indexed memberId);

    /// @notice Governance scheduled risk parameters for an asset; they apply from `effectiveAt`.
    /// @param asset The reserve asset (its ERC-20 on this chain).
    /// @param haircutFloorBps Minimum haircut, in basis points.
    /// @param liquidationThresholdBps Liquidation threshold, in basis points.
    /// @param liquidationHorizon Liquidation horizon, in seconds.
    /// @param effectiveAt Unix time from which the parameters apply.
    event RiskParametersUpdated(
        address indexed asset,
        uint16 haircutFloorBps,
        uint16 liquidationThresholdBps,
        uint32 liquidationHorizon,
        uint64 effectiveAt
    );

    error PoolExists(bytes32 poolId);
    error UnknownPool(bytes32 poolId);
    error AlreadyMember(bytes32 poolId, bytes32 memberId);
    error NotMember(bytes32 poolId, bytes32 memberId);
    error InvalidTargets(uint32 minRatioBps, uint32 targetRatioBps);
    error InvalidRiskParameters(uint16 haircutFloorBps, uint16 liquidationThresholdBps, uint32 liquidationHorizon);
    error ZeroAddress();
    error RiskParametersAlreadySet(address asset);

    /// @notice Deploys the registry and grants every role to `admin`.
    /// @param admin Holder of the admin, pool admin and governor roles.
    /// @param delay Seconds between scheduling risk parameters and their taking effect.
    constructor(address admin, uint32 delay) {
        if (admin == address(0)) revert ZeroAddress();
        riskParameterDelay = delay;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(POOL_ADMIN_ROLE, admin);
        _grantRole(GOVERNOR_ROLE, admin);
    }

    /// @notice Creates a pool whose id is `keccak256(bytes(name))`.
    /// @param name The pool name (unique on this chain).
    /// @param minRatioBps Minimum pooled reserve ratio, in basis points.
    /// @param targetRatioBps Target pooled reserve ratio (>= minimum), in basis points.
    /// @return poolId The new pool's id.
    function createPool(string calldata name, uint32 minRatioBps, uint32 targetRatioBps)
        external
        onlyRole(POOL_ADMIN_ROLE)
        returns (bytes32 poolId)
    {
        poolId = keccak256(bytes(name));
        if (_pools[poolId].exists) revert PoolExists(poolId);
        _checkTargets(minRatioBps, targetRatioBps);
        _pools[poolId] = Pool(name, minRatioBps, targetRatioBps, true);
        emit PoolCreated(poolId, name, minRatioBps, targetRatioBps);
    }

    /// @notice Changes a pool's reserve ratio targets.
    /// @param poolId The pool.
    /// @param minRatioBps New minimum ratio, in basis points.
    /// @param targetRatioBps New target ratio (>= minimum), in basis points.
    function setPoolTargets(bytes32 poolId, uint32 minRatioBps, uint32 targetRatioBps)
        external
        onlyRole(POOL_ADMIN_ROLE)
    {
        Pool storage pool = _existingPool(poolId);
        _checkTargets(minRatioBps, targetRatioBps);
        pool.minRatioBps = minRatioBps;
        pool.targetRatioBps = targetRatioBps;
        emit PoolTargetsUpdated(poolId, minRatioBps, targetRatioBps);
    }

    /// @notice Admits a member protocol to a pool on this chain.
    /// @param poolId The pool.
    /// @param name The member name; its id is `keccak256(bytes(name))`.
    /// @param liabilityToken The member's liability token on this chain.
    /// @param holders The member's reserve holders on this chain.
    /// @return memberId The member's id.
    function joinPool(bytes32 poolId, string calldata name, address liabilityToken, address[] calldata holders)
        external
        onlyRole(POOL_ADMIN_ROLE)
        returns (bytes32 memberId)
    {
        _existingPool(poolId);
        if (liabilityToken == address(0)) revert ZeroAddress();
        for (uint256 i = 0; i < holders.length; i++) {
            if (holders[i] == address(0)) revert ZeroAddress();
        }
        memberId = keccak256(bytes(name));
        Member storage member = _members[poolId][memberId];
        if (member.active) revert AlreadyMember(poolId, memberId);
        member.name = name;
        member.liabilityToken = liabilityToken;
        member.holders = holders;
        member.joinedAt = uint64(block.timestamp);
        member.active = true;
        emit MemberJoined(poolId, memberId, name, liabilityToken, holders);
    }

    /// @notice Removes a member protocol from a pool on this chain.
    /// @param poolId The pool.
    /// @param memberId The member.
    function leavePool(bytes32 poolId, bytes32 memberId) external onlyRole(POOL_ADMIN_ROLE) {
        Member storage member = _members[poolId][memberId];
        if (!member.active) revert NotMember(poolId, memberId);
        member.active = false;
        delete member.holders;
        emit MemberLeft(poolId, memberId);
    }

    /// @notice Sets an asset's first risk parameters, effective at once (the delay protects changes,
    /// and there is nothing to change yet). Reverts once the asset has any parameters.
    /// @param asset The reserve asset (its ERC-20 on this chain).
    /// @param haircutFloorBps Minimum haircut, in basis points (<= 10_000).
    /// @param liquidationThresholdBps Liquidation threshold, in basis points (<= 10_000).
    /// @param liquidationHorizon Liquidation horizon, in seconds (> 0).
    function initializeRiskParameters(
        address asset,
        uint16 haircutFloorBps,
        uint16 liquidationThresholdBps,
        uint32 liquidationHorizon
    ) external onlyRole(GOVERNOR_ROLE) {
        if (_riskSchedule[asset].length > 0) revert RiskParametersAlreadySet(asset);
        _pushRiskParameters(asset, haircutFloorBps, liquidationThresholdBps, liquidationHorizon, uint64(block.timestamp));
    }

    /// @notice Schedules risk parameters for an asset; they apply from `block.timestamp + riskParameterDelay`.
    /// @param asset The reserve asset (its ERC-20 on this chain).
    /// @param haircutFloorBps Minimum haircut, in basis points (<= 10_000).
    /// @param liquidationThresholdBps Liquidation threshold, in basis points (<= 10_000).
    /// @param liquidationHorizon Liquidation horizon, in seconds (> 0).
    /// @return effectiveAt Unix time from which the parameters apply.
    function scheduleRiskParameters(
        address asset,
        uint16 haircutFloorBps,
        uint16 liquidationThresholdBps,
        uint32 liquidationHorizon
    ) external onlyRole(GOVERNOR_ROLE) returns (uint64 effectiveAt) {
        effectiveAt = uint64(block.timestamp) + riskParameterDelay;
        _pushRiskParameters(asset, haircutFloorBps, liquidationThresholdBps, liquidationHorizon, effectiveAt);
    }

    /// @notice The risk parameters of an asset in effect now (zeros before the first ones apply).
    /// @param asset The reserve asset.
    /// @return haircutFloorBps Minimum haircut, in basis points.
    /// @return liquidationThresholdBps Liquidation threshold, in basis points.
    /// @return liquidationHorizon Liquidation horizon, in seconds.
    function riskParameters(address asset)
        external
        view
        returns (uint16 haircutFloorBps, uint16 liquidationThresholdBps, uint32 liquidationHorizon)
    {
        RiskParameters[] storage schedule = _riskSchedule[asset];
        // The latest entries are the ones that matter; pending ones sit at the end.
        for (uint256 i = schedule.length; i > 0; i--) {
            RiskParameters storage p = schedule[i - 1];
            if (p.effectiveAt <= block.timestamp) {
                return (p.haircutFloorBps, p.liquidationThresholdBps, p.liquidationHorizon);
            }
        }
        return (0, 0, 0);
    }

    /// @notice Whether a member is currently in a pool on this chain.
    /// @param poolId The pool.
    /// @param memberId The member.
    /// @return True while the member is in the pool.
    function isMember(bytes32 poolId, bytes32 memberId) external view returns (bool) {
        return _members[poolId][memberId].active;
    }

    /// @notice A member's reserve holders on this chain (empty once it left).
    /// @param poolId The pool.
    /// @param memberId The member.
    /// @return The holder addresses.
    function holdersOf(bytes32 poolId, bytes32 memberId) external view returns (address[] memory) {
        return _members[poolId][memberId].holders;
    }

    /// @notice A member's liability token on this chain.
    /// @param poolId The pool.
    /// @param memberId The member.
    /// @return The liability token (zero if the member never joined).
    function liabilityTokenOf(bytes32 poolId, bytes32 memberId) external view returns (address) {
        return _members[poolId][memberId].liabilityToken;
    }

    /// @notice A pool's name and targets.
    /// @param poolId The pool.
    /// @return name The pool name.
    /// @return minRatioBps Minimum ratio, in basis points.
    /// @return targetRatioBps Target ratio, in basis points.
    function poolInfo(bytes32 poolId)
        external
        view
        returns (string memory name, uint32 minRatioBps, uint32 targetRatioBps)
    {
        Pool storage pool = _existingPool(poolId);
        return (pool.name, pool.minRatioBps, pool.targetRatioBps);
    }

    function _pushRiskParameters(
        address asset,
        uint16 haircutFloorBps,
        uint16 liquidationThresholdBps,
        uint32 liquidationHorizon,
        uint64 effectiveAt
    ) private {
        if (asset == address(0)) revert ZeroAddress();
        if (haircutFloorBps > 10_000 || liquidationThresholdBps > 10_000 || liquidationHorizon == 0) {
            revert InvalidRiskParameters(haircutFloorBps, liquidationThresholdBps, liquidationHorizon);
        }
        _riskSchedule[asset].push(
            RiskParameters(haircutFloorBps, liquidationThresholdBps, liquidationHorizon, effectiveAt)
        );
        emit RiskParametersUpdated(asset, haircutFloorBps, liquidationThresholdBps, liquidationHorizon, effectiveAt);
    }

    function _existingPool(bytes32 poolId) private view returns (Pool storage pool) {
        pool = _pools[poolId];
        if (!pool.exists) revert UnknownPool(poolId);
    }

    function _checkTargets(uint32 minRatioBps, uint32 targetRatioBps) private pure {
        if (minRatioBps == 0 || targetRatioBps < minRatioBps) revert InvalidTargets(minRatioBps, targetRatioBps);
    }
}
