// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @dev The one function of DevnetToken / DevnetOFT the storm calls.
interface IForceTransfer {
    function forceTransfer(address from, address to, uint256 amount) external;
}

/**
 * @title HistoryStorm
 * @notice Lays down a large history fast for benchmarks: one transaction performs many real ERC-20
 * transfers between holders (each a real `Transfer` log of the token).
 * @dev The storm must be the token's operator (`setOperator`) to call `forceTransfer`.
 */
contract HistoryStorm {
    /// @notice The only account allowed to run storms.
    address public immutable owner;

    error NotOwner(address caller);

    /// @notice Deploys the storm.
    /// @param owner_ The only account allowed to run storms.
    constructor(address owner_) {
        owner = owner_;
    }

    /// @notice Performs `count` transfers of `amount` around a ring of holders, starting at `offset`.
    /// @param token The token (DevnetToken or DevnetOFT whose operator is this contract).
    /// @param holders The holders; transfer i goes from holders[(offset+i) % n] to the next one.
    /// @param offset Where in the ring to start.
    /// @param count Number of transfers.
    /// @param amount Amount per transfer.
    function storm(address token, address[] calldata holders, uint256 offset, uint256 count, uint256 amount)
        external
    {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        uint256 n = holders.length;
        for (uint256 i = 0; i < count; i++) {
            uint256 k = (offset + i) % n;
            IForceTransfer(token).forceTransfer(holders[k], holders[(k + 1) % n], amount);
        }
    }
}
