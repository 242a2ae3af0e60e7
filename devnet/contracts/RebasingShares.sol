// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import { Ownable } from "@openzeppelin/contracts/access/Ownable.sol";

/**
 * @title RebasingShares
 * @notice A stETH-shaped token: holders own shares of a pool, and `balanceOf` is their part of the
 * pooled amount, `shares * totalPooled / totalShares` (rounded down, as Lido's
 * `getPooledEthByShares`). A transfer moves `getSharesByPooledEth(amount)` shares and emits both
 * `Transfer` and `TransferShares`, as stETH does. `rebase` changes the pooled amount: every balance
 * moves, and the only event is `TokenRebased` (no `Transfer`), as Lido's oracle report.
 */
contract RebasingShares is Ownable {
    /// @notice Token name.
    string public name;
    /// @notice Token symbol.
    string public symbol;
    /// @notice Decimals of amounts and of shares.
    uint8 public constant decimals = 18;

    uint256 private _totalPooled;
    uint256 private _totalShares;
    uint256 private _lastRebase;
    mapping(address account => uint256) private _shares;
    mapping(address owner => mapping(address spender => uint256)) private _allowances;

    /// @notice ERC-20 transfer (amount in pooled units).
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// @notice ERC-20 approval.
    event Approval(address indexed owner, address indexed spender, uint256 value);
    /// @notice Shares moved (stETH's event).
    event TransferShares(address indexed from, address indexed to, uint256 sharesValue);
    /// @notice The pooled amount changed (Lido's event; no fees here, so `sharesMintedAsFees` is 0).
    event TokenRebased(
        uint256 indexed reportTimestamp,
        uint256 timeElapsed,
        uint256 preTotalShares,
        uint256 preTotalEther,
        uint256 postTotalShares,
        uint256 postTotalEther,
        uint256 sharesMintedAsFees
    );

    error InsufficientShares(address account, uint256 shares, uint256 needed);
    error InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    error ZeroAddress();
    error EmptyPool();

    /// @notice Deploys the token.
    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param owner_ The only account allowed to mint and rebase.
    constructor(string memory name_, string memory symbol_, address owner_) Ownable(owner_) {
        name = name_;
        symbol = symbol_;
        _lastRebase = block.timestamp;
    }

    /// @notice The pooled amount (stETH's `totalSupply` is its pooled ether).
    /// @return The amount.
    function totalSupply() external view returns (uint256) {
        return _totalPooled;
    }

    /// @notice Alias of `totalSupply`, as Lido names it.
    /// @return The amount.
    function getTotalPooledEther() external view returns (uint256) {
        return _totalPooled;
    }

    /// @notice All shares.
    /// @return The shares.
    function getTotalShares() external view returns (uint256) {
        return _totalShares;
    }

    /// @notice An account's shares.
    /// @param account The account.
    /// @return The shares.
    function sharesOf(address account) external view returns (uint256) {
        return _shares[account];
    }

    /// @notice An account's part of the pool: `sharesOf * totalPooled / totalShares`, rounded down.
    /// @param account The account.
    /// @return The amount.
    function balanceOf(address account) external view returns (uint256) {
        return getPooledEthByShares(_shares[account]);
    }

    /// @notice `shares * totalPooled / totalShares`, rounded down (0 for an empty pool).
    /// @param sharesAmount Shares.
    /// @return The amount.
    function getPooledEthByShares(uint256 sharesAmount) public view returns (uint256) {
        if (_totalShares == 0) return 0;
        return sharesAmount * _totalPooled / _totalShares;
    }

    /// @notice `amount * totalShares / totalPooled`, rounded down (the amount itself for an empty pool).
    /// @param amount Pooled amount.
    /// @return The shares.
    function getSharesByPooledEth(uint256 amount) public view returns (uint256) {
        if (_totalPooled == 0) return amount;
        return amount * _totalShares / _totalPooled;
    }

    /// @notice ERC-20 allowance.
    /// @param owner_ Owner.
    /// @param spender Spender.
    /// @return The allowance, in pooled units.
    function allowance(address owner_, address spender) external view returns (uint256) {
        return _allowances[owner_][spender];
    }

    /// @notice ERC-20 approve.
    /// @param spender Spender.
    /// @param amount Allowance, in pooled units.
    /// @return True.
    function approve(address spender, uint256 amount) external returns (bool) {
        if (spender == address(0)) revert ZeroAddress();
        _allowances[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    /// @notice Moves `amount` of the pool (as `getSharesByPooledEth(amount)` shares).
    /// @param to Recipient.
    /// @param amount Pooled amount.
    /// @return True.
    function transfer(address to, uint256 amount) external returns (bool) {
        _transferShares(msg.sender, to, getSharesByPooledEth(amount), amount);
        return true;
    }

    /// @notice Moves `amount` of the pool from `from`, spending the caller's allowance.
    /// @param from Owner.
    /// @param to Recipient.
    /// @param amount Pooled amount.
    /// @return True.
    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = _allowances[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < amount) revert InsufficientAllowance(msg.sender, allowed, amount);
            _allowances[from][msg.sender] = allowed - amount;
        }
        _transferShares(from, to, getSharesByPooledEth(amount), amount);
        return true;
    }

    /// @notice Moves shares (stETH's `transferShares`); the `Transfer` event carries their amount now.
    /// @param to Recipient.
    /// @param sharesAmount Shares.
    /// @return The pooled amount moved.
    function transferShares(address to, uint256 sharesAmount) external returns (uint256) {
        uint256 amount = getPooledEthByShares(sharesAmount);
        _transferShares(msg.sender, to, sharesAmount, amount);
        return amount;
    }

    /// @notice Adds `amount` to the pool and gives `to` the shares it buys (a stake).
    /// @param to Recipient.
    /// @param amount Pooled amount added.
    /// @return sharesAmount The shares minted.
    function mint(address to, uint256 amount) external onlyOwner returns (uint256 sharesAmount) {
        if (to == address(0)) revert ZeroAddress();
        sharesAmount = getSharesByPooledEth(amount);
        _totalShares += sharesAmount;
        _totalPooled += amount;
        _shares[to] += sharesAmount;
        emit Transfer(address(0), to, amount);
        emit TransferShares(address(0), to, sharesAmount);
    }

    /// @notice Sets the pooled amount (an oracle report): every balance scales, no `Transfer`.
    /// @param newTotalPooled The new pooled amount.
    function rebase(uint256 newTotalPooled) external onlyOwner {
        if (_totalShares == 0) revert EmptyPool();
        uint256 pre = _totalPooled;
        _totalPooled = newTotalPooled;
        emit TokenRebased(
            block.timestamp, block.timestamp - _lastRebase, _totalShares, pre, _totalShares, newTotalPooled, 0
        );
        _lastRebase = block.timestamp;
    }

    function _transferShares(address from, address to, uint256 sharesAmount, uint256 amount) private {
        if (to == address(0)) revert ZeroAddress();
        uint256 held = _shares[from];
        if (held < sharesAmount) revert InsufficientShares(from, held, sharesAmount);
        _shares[from] = held - sharesAmount;
        _shares[to] += sharesAmount;
        emit Transfer(from, to, amount);
        emit TransferShares(from, to, sharesAmount);
    }
}
