// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import { ERC20 } from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import { ERC4626 } from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import { IERC20 } from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/**
 * @title DevnetVault
 * @notice An ERC-4626 vault over a reserve asset. Yield is paid by transferring the asset to the
 * vault, which raises `convertToAssets` for every share.
 */
contract DevnetVault is ERC4626 {
    /// @notice Deploys the vault.
    /// @param asset_ The underlying ERC-20.
    /// @param name_ Share token name.
    /// @param symbol_ Share token symbol.
    constructor(IERC20 asset_, string memory name_, string memory symbol_) ERC20(name_, symbol_) ERC4626(asset_) {}
}
