// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import { ERC20 } from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import { Ownable } from "@openzeppelin/contracts/access/Ownable.sol";

/**
 * @title DevnetToken
 * @notice The canonical ERC-20 of a reserve asset on its home chain (USDC, WETH, WBTC stand-ins),
 * minted by the devnet's owner to fund holders and to pay vault yield.
 */
contract DevnetToken is ERC20, Ownable {
    uint8 private immutable _decimals;

    /// @notice Deploys the token.
    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param decimals_ Token decimals.
    /// @param owner_ The only account allowed to mint.
    constructor(string memory name_, string memory symbol_, uint8 decimals_, address owner_)
        ERC20(name_, symbol_)
        Ownable(owner_)
    {
        _decimals = decimals_;
    }

    /// @notice Token decimals.
    /// @return The number of decimals.
    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    /// @notice Mints new tokens.
    /// @param to Recipient.
    /// @param amount Amount, in token units.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
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
}
