// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import { TimelockController } from "@openzeppelin/contracts/governance/TimelockController.sol";
import { EIP712 } from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import { SignatureChecker } from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/**
 * @title ReservePoolRegistry
 * @notice Ballast's on-chain registry of reserve pools, their member protocols and the per-pool risk
 * parameters of reserve assets. Pool and member ids are `keccak256(bytes(name))`, so the same pool
 * and member have the same ids on every chain.
 * @dev Three roles, each held by its own OpenZeppelin `TimelockController` fixed at construction:
 * the pool admin (creates pools, sets targets), membership (admits and removes members) and risk
 * (sets per-pool risk parameters). Every change is therefore scheduled on a timelock and executed
 * after its delay; the registry refuses a call from a timelock whose minimum delay is below
 * `minDelay` (a timelock may lower its own delay, through itself), and `minDelay` is never 0. Who
 * may propose on a timelock is that timelock's own business (its `PROPOSER_ROLE`). A member's
 * reserve holder counts only once the holder acknowledged that member: a call from the holder, or
 * an EIP-712 signature of it checked with `SignatureChecker` (ECDSA for an account, ERC-1271 for a
 * contract wallet such as a Safe). Ratios and haircuts are basis points (10_000 = 100%), durations
 * seconds, times unix seconds.
 */
contract ReservePoolRegistry is EIP712 {
    /// @notice Role that creates pools and sets their targets.
    bytes32 public constant POOL_ADMIN_ROLE = keccak256("POOL_ADMIN_ROLE");
    /// @notice Role that admits members (with acknowledged holders) and removes them.
    bytes32 public constant MEMBERSHIP_ROLE = keccak256("MEMBERSHIP_ROLE");
    /// @notice Role that sets per-pool risk parameters.
    bytes32 public constant RISK_ROLE = keccak256("RISK_ROLE");
    /// @notice Longest liquidation horizon accepted (one year).
    uint32 public constant MAX_LIQUIDATION_HORIZON = 365 days;

    /// @notice EIP-712 type of a holder's acknowledgement.
    bytes32 public constant HOLDER_ACKNOWLEDGEMENT_TYPEHASH =
        keccak256("HolderAcknowledgement(bytes32 poolId,bytes32 memberId,address holder,uint256 deadline)");

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

    /// @notice The pool admin role's timelock.
    address public immutable poolAdminTimelock;
    /// @notice The membership role's timelock.
    address public immutable membershipTimelock;
    /// @notice The risk role's timelock.
    address public immutable riskTimelock;
    /// @notice Smallest timelock delay accepted, in seconds (> 0).
    uint256 public immutable minDelay;

    mapping(bytes32 poolId => Pool) private _pools;
    mapping(bytes32 poolId => mapping(bytes32 memberId => Member)) private _members;
    mapping(bytes32 poolId => mapping(address asset => RiskParameters)) private _risk;
    mapping(bytes32 poolId => mapping(bytes32 memberId => mapping(address holder => bool))) private _acknowledged;

    /// @notice A pool was created with its reserve ratio targets.
    event PoolCreated(bytes32 indexed poolId, string name, uint32 minRatioBps, uint32 targetRatioBps);

    /// @notice A pool's reserve ratio targets changed.
    event PoolTargetsUpdated(bytes32 indexed poolId, uint32 minRatioBps, uint32 targetRatioBps);

    /// @notice A member protocol joined a pool on this chain; every holder had acknowledged it.
    event MemberJoined(
        bytes32 indexed poolId, bytes32 indexed memberId, string name, address liabilityToken, address[] holders
    );

    /// @notice A member protocol left a pool on this chain.
    event MemberLeft(bytes32 indexed poolId, bytes32 indexed memberId);

    /// @notice A reserve holder acknowledged that it holds reserves of a member of a pool.
    event HolderAcknowledged(bytes32 indexed poolId, bytes32 indexed memberId, address indexed holder);

    /// @notice A pool's risk parameters of an asset changed; they apply from `effectiveAt` (this block).
    /// @param poolId The pool.
    /// @param asset The reserve asset (its ERC-20 on this chain).
    /// @param haircutFloorBps Minimum haircut, in basis points.
    /// @param liquidationThresholdBps Liquidation threshold, in basis points.
    /// @param liquidationHorizon Liquidation horizon, in seconds.
    /// @param effectiveAt Unix time from which the parameters apply.
    event RiskParametersUpdated(
        bytes32 indexed poolId,
        address indexed asset,
        uint16 haircutFloorBps,
        uint16 liquidationThresholdBps,
        uint32 liquidationHorizon,
        uint64 effectiveAt
    );

    error Unauthorized(bytes32 role, address caller);
    error DelayTooShort(address timelock, uint256 delay, uint256 minDelay);
    error ZeroDelay();
    error PoolExists(bytes32 poolId);
    error UnknownPool(bytes32 poolId);
    error AlreadyMember(bytes32 poolId, bytes32 memberId);
    error NotMember(bytes32 poolId, bytes32 memberId);
    error NoHolders();
    error HolderNotAcknowledged(bytes32 poolId, bytes32 memberId, address holder);
    error InvalidSignature(address holder);
    error SignatureExpired(uint256 deadline);
    error InvalidTargets(uint32 minRatioBps, uint32 targetRatioBps);
    error InvalidRiskParameters(uint16 haircutFloorBps, uint16 liquidationThresholdBps, uint32 liquidationHorizon);
    error ZeroAddress();

    /// @notice Deploys the registry over three timelocks (they may be one and the same).
    /// @param poolAdmin_ Timelock of the pool admin role.
    /// @param membership_ Timelock of the membership role.
    /// @param risk_ Timelock of the risk role.
    /// @param minDelay_ Smallest timelock delay accepted (> 0); each timelock's delay must reach it now.
    constructor(address poolAdmin_, address membership_, address risk_, uint256 minDelay_)
        EIP712("Ballast ReservePoolRegistry", "1")
    {
        if (minDelay_ == 0) revert ZeroDelay();
        if (poolAdmin_ == address(0) || membership_ == address(0) || risk_ == address(0)) revert ZeroAddress();
        poolAdminTimelock = poolAdmin_;
        membershipTimelock = membership_;
        riskTimelock = risk_;
        minDelay = minDelay_;
        _checkDelay(poolAdmin_);
        _checkDelay(membership_);
        _checkDelay(risk_);
    }

    modifier onlyTimelock(bytes32 role) {
        address timelock = timelockOf(role);
        if (msg.sender != timelock) revert Unauthorized(role, msg.sender);
        _checkDelay(timelock);
        _;
    }

    /// @notice The timelock holding a role.
    /// @param role One of the three role constants.
    /// @return The timelock (zero for an unknown role).
    function timelockOf(bytes32 role) public view returns (address) {
        if (role == POOL_ADMIN_ROLE) return poolAdminTimelock;
        if (role == MEMBERSHIP_ROLE) return membershipTimelock;
        if (role == RISK_ROLE) return riskTimelock;
        return address(0);
    }

    /// @notice Creates a pool whose id is `keccak256(bytes(name))` (pool admin timelock).
    /// @param name The pool name (unique on this chain).
    /// @param minRatioBps Minimum pooled reserve ratio (> 0), in basis points.
    /// @param targetRatioBps Target pooled reserve ratio (>= minimum), in basis points.
    /// @return poolId The new pool's id.
    function createPool(string calldata name, uint32 minRatioBps, uint32 targetRatioBps)
        external
        onlyTimelock(POOL_ADMIN_ROLE)
        returns (bytes32 poolId)
    {
        poolId = keccak256(bytes(name));
        if (_pools[poolId].exists) revert PoolExists(poolId);
        _checkTargets(minRatioBps, targetRatioBps);
        _pools[poolId] = Pool(name, minRatioBps, targetRatioBps, true);
        emit PoolCreated(poolId, name, minRatioBps, targetRatioBps);
    }

    /// @notice Changes a pool's reserve ratio targets (pool admin timelock).
    /// @param poolId The pool.
    /// @param minRatioBps New minimum ratio (> 0), in basis points.
    /// @param targetRatioBps New target ratio (>= minimum), in basis points.
    function setPoolTargets(bytes32 poolId, uint32 minRatioBps, uint32 targetRatioBps)
        external
        onlyTimelock(POOL_ADMIN_ROLE)
    {
        Pool storage pool = _existingPool(poolId);
        _checkTargets(minRatioBps, targetRatioBps);
        pool.minRatioBps = minRatioBps;
        pool.targetRatioBps = targetRatioBps;
        emit PoolTargetsUpdated(poolId, minRatioBps, targetRatioBps);
    }

    /// @notice Admits a member protocol to a pool on this chain (membership timelock). Every holder
    /// must have acknowledged the member first, so nobody can list someone else's wallet.
    /// @param poolId The pool.
    /// @param name The member name; its id is `keccak256(bytes(name))`.
    /// @param liabilityToken The member's liability token on this chain.
    /// @param holders The member's reserve holders on this chain (at least one).
    /// @return memberId The member's id.
    function joinPool(bytes32 poolId, string calldata name, address liabilityToken, address[] calldata holders)
        external
        onlyTimelock(MEMBERSHIP_ROLE)
        returns (bytes32 memberId)
    {
        _existingPool(poolId);
        if (liabilityToken == address(0)) revert ZeroAddress();
        if (holders.length == 0) revert NoHolders();
        memberId = keccak256(bytes(name));
        for (uint256 i = 0; i < holders.length; i++) {
            if (!_acknowledged[poolId][memberId][holders[i]]) {
                revert HolderNotAcknowledged(poolId, memberId, holders[i]);
            }
        }
        Member storage member = _members[poolId][memberId];
        if (member.active) revert AlreadyMember(poolId, memberId);
        member.name = name;
        member.liabilityToken = liabilityToken;
        member.holders = holders;
        member.joinedAt = uint64(block.timestamp);
        member.active = true;
        emit MemberJoined(poolId, memberId, name, liabilityToken, holders);
    }

    /// @notice Removes a member protocol from a pool on this chain (membership timelock).
    /// @param poolId The pool.
    /// @param memberId The member.
    function leavePool(bytes32 poolId, bytes32 memberId) external onlyTimelock(MEMBERSHIP_ROLE) {
        Member storage member = _members[poolId][memberId];
        if (!member.active) revert NotMember(poolId, memberId);
        member.active = false;
        delete member.holders;
        emit MemberLeft(poolId, memberId);
    }

    /// @notice Sets a pool's risk parameters of an asset, effective from this block (risk timelock:
    /// the delay already passed when this runs).
    /// @param poolId The pool.
    /// @param asset The reserve asset (its ERC-20 on this chain).
    /// @param haircutFloorBps Minimum haircut, in basis points (<= 10_000).
    /// @param liquidationThresholdBps Liquidation threshold, in basis points (<= 10_000).
    /// @param liquidationHorizon Liquidation horizon, in seconds (1 ..= MAX_LIQUIDATION_HORIZON).
    function setRiskParameters(
        bytes32 poolId,
        address asset,
        uint16 haircutFloorBps,
        uint16 liquidationThresholdBps,
        uint32 liquidationHorizon
    ) external onlyTimelock(RISK_ROLE) {
        _existingPool(poolId);
        if (asset == address(0)) revert ZeroAddress();
        if (
            haircutFloorBps > 10_000 || liquidationThresholdBps > 10_000 || liquidationHorizon == 0
                || liquidationHorizon > MAX_LIQUIDATION_HORIZON
        ) {
            revert InvalidRiskParameters(haircutFloorBps, liquidationThresholdBps, liquidationHorizon);
        }
        uint64 effectiveAt = uint64(block.timestamp);
        _risk[poolId][asset] = RiskParameters(haircutFloorBps, liquidationThresholdBps, liquidationHorizon, effectiveAt);
        emit RiskParametersUpdated(poolId, asset, haircutFloorBps, liquidationThresholdBps, liquidationHorizon, effectiveAt);
    }

    /// @notice The caller acknowledges that it holds reserves of `memberId` in `poolId`.
    /// @param poolId The pool.
    /// @param memberId The member.
    function acknowledgeHolder(bytes32 poolId, bytes32 memberId) external {
        _acknowledge(poolId, memberId, msg.sender);
    }

    /// @notice Records a holder's acknowledgement signed off chain (EIP-712 `HolderAcknowledgement`):
    /// an ECDSA signature of an account, or an ERC-1271 one of a contract wallet (a Safe). Anyone may
    /// submit it.
    /// @param poolId The pool.
    /// @param memberId The member.
    /// @param holder The acknowledging holder.
    /// @param deadline Unix time after which the signature is refused.
    /// @param signature The holder's signature over the typed data.
    function acknowledgeHolderBySig(
        bytes32 poolId,
        bytes32 memberId,
        address holder,
        uint256 deadline,
        bytes calldata signature
    ) external {
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        bytes32 digest = holderAcknowledgementDigest(poolId, memberId, holder, deadline);
        if (!SignatureChecker.isValidSignatureNow(holder, digest, signature)) revert InvalidSignature(holder);
        _acknowledge(poolId, memberId, holder);
    }

    /// @notice The EIP-712 digest a holder signs to acknowledge a member.
    /// @return The digest.
    function holderAcknowledgementDigest(bytes32 poolId, bytes32 memberId, address holder, uint256 deadline)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(HOLDER_ACKNOWLEDGEMENT_TYPEHASH, poolId, memberId, holder, deadline)));
    }

    /// @notice Whether a holder acknowledged a member of a pool.
    function isAcknowledged(bytes32 poolId, bytes32 memberId, address holder) external view returns (bool) {
        return _acknowledged[poolId][memberId][holder];
    }

    /// @notice A pool's risk parameters of an asset in effect now (zeros before any were set).
    /// @return haircutFloorBps Minimum haircut, in basis points.
    /// @return liquidationThresholdBps Liquidation threshold, in basis points.
    /// @return liquidationHorizon Liquidation horizon, in seconds.
    function riskParameters(bytes32 poolId, address asset)
        external
        view
        returns (uint16 haircutFloorBps, uint16 liquidationThresholdBps, uint32 liquidationHorizon)
    {
        RiskParameters storage p = _risk[poolId][asset];
        return (p.haircutFloorBps, p.liquidationThresholdBps, p.liquidationHorizon);
    }

    /// @notice Whether a member is currently in a pool on this chain.
    function isMember(bytes32 poolId, bytes32 memberId) external view returns (bool) {
        return _members[poolId][memberId].active;
    }

    /// @notice A member's reserve holders on this chain (empty once it left).
    function holdersOf(bytes32 poolId, bytes32 memberId) external view returns (address[] memory) {
        return _members[poolId][memberId].holders;
    }

    /// @notice A member's liability token on this chain (zero if the member never joined).
    function liabilityTokenOf(bytes32 poolId, bytes32 memberId) external view returns (address) {
        return _members[poolId][memberId].liabilityToken;
    }

    /// @notice A pool's name and targets.
    function poolInfo(bytes32 poolId)
        external
        view
        returns (string memory name, uint32 minRatioBps, uint32 targetRatioBps)
    {
        Pool storage pool = _existingPool(poolId);
        return (pool.name, pool.minRatioBps, pool.targetRatioBps);
    }

    function _acknowledge(bytes32 poolId, bytes32 memberId, address holder) private {
        if (_acknowledged[poolId][memberId][holder]) return;
        _acknowledged[poolId][memberId][holder] = true;
        emit HolderAcknowledged(poolId, memberId, holder);
    }

    /// @dev A high-level call: reverts when `timelock` has no code (an account is no timelock).
    function _checkDelay(address timelock) private view {
        uint256 delay = TimelockController(payable(timelock)).getMinDelay();
        if (delay < minDelay) revert DelayTooShort(timelock, delay, minDelay);
    }

    function _existingPool(bytes32 poolId) private view returns (Pool storage pool) {
        pool = _pools[poolId];
        if (!pool.exists) revert UnknownPool(poolId);
    }

    function _checkTargets(uint32 minRatioBps, uint32 targetRatioBps) private pure {
        if (minRatioBps == 0 || targetRatioBps < minRatioBps) revert InvalidTargets(minRatioBps, targetRatioBps);
    }
}
