// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import { Ownable } from "@openzeppelin/contracts/access/Ownable.sol";

/**
 * @title DevnetSequencerUptimeFeed
 * @notice An L2 sequencer uptime feed as Chainlink's (`latestRoundData`: answer 0 = up, 1 = down;
 * `startedAt` = when the status last changed), whose status the devnet's tests set.
 */
contract DevnetSequencerUptimeFeed is Ownable {
    /// @notice 0: the sequencer is up; 1: it is down.
    int256 public status;
    /// @notice When the status last changed.
    uint256 public startedAt;
    /// @notice Rounds written so far.
    uint80 public latestRound;

    /// @notice The status changed.
    /// @param current The new status (0 up, 1 down).
    /// @param roundId The round.
    /// @param updatedAt When.
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    constructor(address owner_) Ownable(owner_) {
        startedAt = block.timestamp;
        latestRound = 1;
    }

    /// @notice Sets the status (0 up, 1 down) from this block on.
    /// @param down Whether the sequencer is down.
    function setDown(bool down) external onlyOwner {
        status = down ? int256(1) : int256(0);
        startedAt = block.timestamp;
        latestRound += 1;
        emit AnswerUpdated(status, latestRound, block.timestamp);
    }

    /// @notice Always 0: a status, not a price.
    function decimals() external pure returns (uint8) {
        return 0;
    }

    /// @notice The latest status, as Chainlink's uptime feeds answer it.
    /// @return roundId The round.
    /// @return answer 0 up, 1 down.
    /// @return startedAt_ When the status last changed.
    /// @return updatedAt When it was written.
    /// @return answeredInRound The round of the answer.
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt_, uint256 updatedAt, uint80 answeredInRound)
    {
        return (latestRound, status, startedAt, startedAt, latestRound);
    }
}
