// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import { ERC20 } from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import { ReserveAttestation } from "./ReserveAttestation.sol";

/**
 * @title GatedMinter
 * @notice Example (tests only): a member's liability token whose mint requires the pool's latest
 * attested statement to be fresh and solvent (`ReserveAttestation.isSolvent`).
 */
contract GatedMinter is ERC20 {
    ReserveAttestation public immutable attestation;
    bytes32 public immutable poolId;
    uint256 public immutable minRatioWad;
    uint256 public immutable maxAge;
    address public immutable minter;

    error NotMinter(address caller);
    error NotSolvent(bytes32 poolId, uint256 minRatioWad, uint256 maxAge);

    constructor(ReserveAttestation attestation_, bytes32 poolId_, uint256 minRatioWad_, uint256 maxAge_, address minter_)
        ERC20("Gated dollar", "gUSD")
    {
        attestation = attestation_;
        poolId = poolId_;
        minRatioWad = minRatioWad_;
        maxAge = maxAge_;
        minter = minter_;
    }

    /// @notice Mints when the pool is attested solvent, reverts `NotSolvent` otherwise.
    function mint(address to, uint256 amount) external {
        if (msg.sender != minter) revert NotMinter(msg.sender);
        if (!attestation.isSolvent(poolId, minRatioWad, maxAge)) revert NotSolvent(poolId, minRatioWad, maxAge);
        _mint(to, amount);
    }
}
