// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import { IERC20 } from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import { ERC20 } from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import { ERC4626 } from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import { SafeERC20 } from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import { Math } from "@openzeppelin/contracts/utils/math/Math.sol";

/**
 * @title AccruingVault
 * @notice An OpenZeppelin ERC-4626 vault shaped like sDAI / sUSDS: it holds none of its assets.
 * Deposits go to a separate `pot` address, and the vault's claim on the pot is a normalized
 * principal `pie` that grows with an accumulator `chi`, as Maker's Pot (`totalAssets = pie * chi /
 * RAY`). `chi` rises linearly at `ratePerSecond` (ray) from `RAY` at deployment:
 * `chi(t) = RAY + ratePerSecond * (t - start)`, so interest accrues every second with no event and no
 * `Transfer`. The pot must approve this vault to pay withdrawals; interest beyond what the pot holds
 * is funded by whoever runs the pot (on the devnet, its owner mints into it).
 */
contract AccruingVault is ERC4626 {
    using SafeERC20 for IERC20;

    /// @notice 10^27, the fixed-point unit of `chi` and `ratePerSecond` (Maker's ray).
    uint256 public constant RAY = 1e27;

    /// @notice Where the assets sit.
    address public immutable pot;
    /// @notice Growth of `chi` per second, in ray (5% a year simple: 0.05e27 / 31_536_000).
    uint256 public immutable ratePerSecond;
    /// @notice When `chi` was `RAY`.
    uint256 public immutable start;
    /// @notice Normalized principal: assets deposited, each divided by `chi` at its deposit.
    uint256 public pie;

    uint8 private immutable _offset;

    /// @notice Deploys the vault.
    /// @param asset_ The underlying ERC-20.
    /// @param pot_ Where deposits go (must approve this vault for withdrawals).
    /// @param ratePerSecond_ Growth of `chi` per second, in ray.
    /// @param decimalsOffset_ OpenZeppelin's virtual-share offset: share decimals = asset decimals + it.
    /// @param name_ Share token name.
    /// @param symbol_ Share token symbol.
    constructor(
        IERC20 asset_,
        address pot_,
        uint256 ratePerSecond_,
        uint8 decimalsOffset_,
        string memory name_,
        string memory symbol_
    ) ERC20(name_, symbol_) ERC4626(asset_) {
        pot = pot_;
        ratePerSecond = ratePerSecond_;
        start = block.timestamp;
        _offset = decimalsOffset_;
    }

    /// @notice The accumulator now: `RAY + ratePerSecond * (block.timestamp - start)`.
    /// @return The accumulator, in ray.
    function chi() public view returns (uint256) {
        return RAY + ratePerSecond * (block.timestamp - start);
    }

    /// @notice Assets the vault can claim from the pot: `pie * chi / RAY`, rounded down.
    /// @return The assets, in asset units.
    function totalAssets() public view override returns (uint256) {
        return Math.mulDiv(pie, chi(), RAY);
    }

    function _decimalsOffset() internal view override returns (uint8) {
        return _offset;
    }

    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        IERC20(asset()).safeTransferFrom(caller, pot, assets);
        // Rounded down: the vault never claims more than was put in.
        pie += Math.mulDiv(assets, RAY, chi());
        _mint(receiver, shares);
        emit Deposit(caller, receiver, assets, shares);
    }

    function _withdraw(address caller, address receiver, address owner, uint256 assets, uint256 shares)
        internal
        override
    {
        if (caller != owner) _spendAllowance(owner, caller, shares);
        _burn(owner, shares);
        // Rounded up, capped at what is left (the last withdrawal may round past it).
        uint256 out = Math.mulDiv(assets, RAY, chi(), Math.Rounding.Ceil);
        pie = out > pie ? 0 : pie - out;
        IERC20(asset()).safeTransferFrom(pot, receiver, assets);
        emit Withdraw(caller, receiver, owner, assets, shares);
    }
}
