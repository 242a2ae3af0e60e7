// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import { ERC20 } from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import { Ownable } from "@openzeppelin/contracts/access/Ownable.sol";
import { OFTCore } from "@layerzerolabs/oft-evm/contracts/OFTCore.sol";

/**
 * @title DevnetOFT
 * @notice A LayerZero V2 OFT (burn on send, mint on receive) with configurable decimals: a reserve
 * asset away from its home chain, or a member's liability token on every chain. The owner mints
 * (liabilities issued against reserves) and burns (redemptions).
 * @dev Built on `OFTCore` + ERC-20 rather than `OFT`, because `OFT` reads `decimals()` while its
 * base constructors run, before an immutable set from a constructor argument exists.
 */
contract DevnetOFT is OFTCore, ERC20 {
    uint8 private immutable _decimals;

    /// @notice Deploys the OFT.
    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param decimals_ Token decimals (>= the OFT's 6 shared decimals).
    /// @param endpoint_ The LayerZero V2 endpoint on this chain.
    /// @param owner_ Owner and LayerZero delegate.
    constructor(string memory name_, string memory symbol_, uint8 decimals_, address endpoint_, address owner_)
        ERC20(name_, symbol_)
        OFTCore(decimals_, endpoint_, owner_)
        Ownable(owner_)
    {
        _decimals = decimals_;
    }

    /// @notice Token decimals.
    /// @return The number of decimals.
    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    /// @notice The ERC-20 this OFT moves: itself.
    /// @return This contract's address.
    function token() public view returns (address) {
        return address(this);
    }

    /// @notice Whether `send` needs an ERC-20 approval first: no, the OFT burns its own tokens.
    /// @return Always false.
    function approvalRequired() external pure virtual returns (bool) {
        return false;
    }

    /// @notice Issues tokens (liabilities minted against reserves).
    /// @param to Recipient.
    /// @param amount Amount, in token units.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }

    /// @notice Burns tokens of a holder (a redemption).
    /// @param from Holder.
    /// @param amount Amount, in token units.
    function burn(address from, uint256 amount) external onlyOwner {
        _burn(from, amount);
    }

    /// @notice Account besides the owner allowed to `forceTransfer` (the devnet's history generator).
    address public operator;

    /// @notice The operator changed.
    /// @param operator The new operator (zero: none).
    event OperatorSet(address indexed operator);

    error NotOperator(address caller);

    /// @notice Sets the account besides the owner allowed to `forceTransfer`.
    /// @param operator_ The new operator (zero: none).
    function setOperator(address operator_) external onlyOwner {
        operator = operator_;
        emit OperatorSet(operator_);
    }

    /// @notice Moves tokens between any accounts: the devnet plays every holder, so it needs no keys.
    /// @param from Sender.
    /// @param to Recipient.
    /// @param amount Amount, in token units.
    function forceTransfer(address from, address to, uint256 amount) external {
        if (msg.sender != owner() && msg.sender != operator) revert NotOperator(msg.sender);
        _transfer(from, to, amount);
    }

    function _debit(address from, uint256 amountLD, uint256 minAmountLD, uint32 dstEid)
        internal
        override
        returns (uint256 amountSentLD, uint256 amountReceivedLD)
    {
        (amountSentLD, amountReceivedLD) = _debitView(amountLD, minAmountLD, dstEid);
        _burn(from, amountSentLD);
    }

    function _credit(address to, uint256 amountLD, uint32)
        internal
        override
        returns (uint256 amountReceivedLD)
    {
        // ERC-20 refuses minting to zero; such a transfer would otherwise block the channel.
        _mint(to == address(0) ? address(0xdead) : to, amountLD);
        return amountLD;
    }
}
