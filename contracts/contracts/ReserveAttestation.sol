// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import { AccessControl } from "@openzeppelin/contracts/access/AccessControl.sol";

/**
 * @title ReserveAttestation
 * @notice Publishes, per pool, the latest solvency statement of Ballast's indexer: the root of the
 * Merkle-sum tree over member liabilities, total liabilities and adjusted reserves (USD, 18
 * decimals), the pooled reserve ratio and the block read on each chain. A member's mint or a
 * lending market gates on `isSolvent` (the proof-of-reserve "secure mint" pattern).
 * @dev Attesters hold `ATTESTER_ROLE`; its admin (`DEFAULT_ADMIN_ROLE`) should be a timelock.
 * The ratio is checked on chain: `pooledRatioWad = adjustedReserves * 1e18 / totalLiabilities`
 * (rounded down), and `type(uint256).max` when there are no liabilities.
 */
contract ReserveAttestation is AccessControl {
    /// @notice Role that posts statements.
    bytes32 public constant ATTESTER_ROLE = keccak256("ATTESTER_ROLE");

    struct Statement {
        bytes32 liabilityRoot;
        uint256 totalLiabilities;
        uint256 adjustedReserves;
        uint256 pooledRatioWad;
        uint64 asOf;
        uint64[] chainIds;
        uint64[] blockNumbers;
    }

    mapping(bytes32 poolId => Statement) private _latest;

    /// @notice An attester posted a pool's solvency statement, as of `asOf`.
    event StatementPosted(
        bytes32 indexed poolId,
        address indexed attester,
        bytes32 liabilityRoot,
        uint256 totalLiabilities,
        uint256 adjustedReserves,
        uint256 pooledRatioWad,
        uint64 asOf,
        uint64[] chainIds,
        uint64[] blockNumbers
    );

    error ZeroAddress();
    error InconsistentRatio(uint256 posted, uint256 computed);
    error ChainBlocksMismatch(uint256 chainIds, uint256 blockNumbers);
    error StatementFromFuture(uint64 asOf, uint256 now);
    error StatementNotNewer(uint64 asOf, uint64 latestAsOf);

    /// @param admin Holder of `DEFAULT_ADMIN_ROLE` (grants and revokes attesters).
    /// @param attester First holder of `ATTESTER_ROLE` (zero for none).
    constructor(address admin, address attester) {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        if (attester != address(0)) _grantRole(ATTESTER_ROLE, attester);
    }

    /// @notice Posts a pool's statement; it replaces the previous one if newer.
    /// @param poolId The pool (`keccak256(bytes(name))`, as in the registry).
    /// @param liabilityRoot Root of the Merkle-sum liability tree.
    /// @param totalLiabilities The root's sum: liabilities in USD, 18 decimals.
    /// @param adjustedReserves Adjusted reserves in USD, 18 decimals, at the same blocks.
    /// @param pooledRatioWad `adjustedReserves * 1e18 / totalLiabilities`.
    /// @param asOf Unix time of the figures (<= now, > the previous statement's).
    /// @param chainIds Chains read.
    /// @param blockNumbers Block read on each chain, in the order of `chainIds`.
    function post(
        bytes32 poolId,
        bytes32 liabilityRoot,
        uint256 totalLiabilities,
        uint256 adjustedReserves,
        uint256 pooledRatioWad,
        uint64 asOf,
        uint64[] calldata chainIds,
        uint64[] calldata blockNumbers
    ) external onlyRole(ATTESTER_ROLE) {
        uint256 computed =
            totalLiabilities == 0 ? type(uint256).max : (adjustedReserves * 1e18) / totalLiabilities;
        if (pooledRatioWad != computed) revert InconsistentRatio(pooledRatioWad, computed);
        if (chainIds.length != blockNumbers.length) revert ChainBlocksMismatch(chainIds.length, blockNumbers.length);
        if (asOf > block.timestamp) revert StatementFromFuture(asOf, block.timestamp);
        uint64 latestAsOf = _latest[poolId].asOf;
        if (asOf <= latestAsOf) revert StatementNotNewer(asOf, latestAsOf);
        _latest[poolId] =
            Statement(liabilityRoot, totalLiabilities, adjustedReserves, pooledRatioWad, asOf, chainIds, blockNumbers);
        emit StatementPosted(
            poolId,
            msg.sender,
            liabilityRoot,
            totalLiabilities,
            adjustedReserves,
            pooledRatioWad,
            asOf,
            chainIds,
            blockNumbers
        );
    }

    /// @notice A pool's latest statement (all zeros before the first).
    function latest(bytes32 poolId) external view returns (Statement memory) {
        return _latest[poolId];
    }

    /// @notice Whether a pool's latest statement is at most `maxAge` seconds old and its pooled
    /// ratio at least `minRatioWad`. False when nothing was posted.
    /// @param poolId The pool.
    /// @param minRatioWad Smallest pooled ratio accepted (1e18 = 100%).
    /// @param maxAge Largest age of the statement accepted, in seconds.
    function isSolvent(bytes32 poolId, uint256 minRatioWad, uint256 maxAge) external view returns (bool) {
        Statement storage s = _latest[poolId];
        if (s.asOf == 0) return false;
        if (block.timestamp - s.asOf > maxAge) return false;
        return s.pooledRatioWad >= minRatioWad;
    }
}
