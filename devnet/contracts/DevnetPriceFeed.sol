// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import { Ownable } from "@openzeppelin/contracts/access/Ownable.sol";

/**
 * @title DevnetPriceFeed
 * @notice A Chainlink-style price feed (`AggregatorV3Interface` views and the `AnswerUpdated` /
 * `NewRound` events of `AggregatorInterface`) whose answers the devnet's scenarios write.
 */
contract DevnetPriceFeed is Ownable {
    struct Round {
        int256 answer;
        uint64 startedAt;
        uint64 updatedAt;
    }

    /// @notice Decimals of every answer.
    uint8 public immutable decimals;
    /// @notice What the feed prices, e.g. `ETH / USD`.
    string public description;
    /// @notice Interface version (Chainlink's aggregators report 4 or 6; this is a devnet feed).
    uint256 public constant version = 1;
    /// @notice Id of the latest round (0 before the first answer).
    uint80 public latestRound;

    mapping(uint80 roundId => Round) private _rounds;

    /// @notice A round got its answer.
    /// @param current The answer.
    /// @param roundId The round.
    /// @param updatedAt Unix time of the answer.
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    /// @notice A round started.
    /// @param roundId The round.
    /// @param startedBy Who started it.
    /// @param startedAt Unix time it started.
    event NewRound(uint256 indexed roundId, address indexed startedBy, uint256 startedAt);

    error NoData();
    error NonPositiveAnswer(int256 answer);

    /// @notice Deploys the feed.
    /// @param decimals_ Decimals of the answers (8, like Chainlink USD feeds).
    /// @param description_ What the feed prices.
    /// @param owner_ The only account allowed to write answers.
    constructor(uint8 decimals_, string memory description_, address owner_) Ownable(owner_) {
        decimals = decimals_;
        description = description_;
    }

    /// @notice Writes a new answer as a new round.
    /// @param answer The price, with `decimals` decimals (> 0).
    /// @return roundId The new round.
    function updateAnswer(int256 answer) external onlyOwner returns (uint80 roundId) {
        if (answer <= 0) revert NonPositiveAnswer(answer);
        roundId = latestRound + 1;
        latestRound = roundId;
        _rounds[roundId] = Round(answer, uint64(block.timestamp), uint64(block.timestamp));
        emit NewRound(roundId, msg.sender, block.timestamp);
        emit AnswerUpdated(answer, roundId, block.timestamp);
    }

    /// @notice The latest round, as Chainlink's `latestRoundData`.
    /// @return roundId The round.
    /// @return answer The price.
    /// @return startedAt When the round started.
    /// @return updatedAt When the answer was written.
    /// @return answeredInRound The round of the answer (= roundId).
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        return getRoundData(latestRound);
    }

    /// @notice A past round, as Chainlink's `getRoundData`.
    /// @param roundId The round.
    /// @return roundId_ The round.
    /// @return answer The price.
    /// @return startedAt When the round started.
    /// @return updatedAt When the answer was written.
    /// @return answeredInRound The round of the answer (= roundId).
    function getRoundData(uint80 roundId)
        public
        view
        returns (uint80 roundId_, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        Round storage r = _rounds[roundId];
        if (r.updatedAt == 0) revert NoData();
        return (roundId, r.answer, r.startedAt, r.updatedAt, roundId);
    }

    /// @notice The latest answer (`AggregatorInterface.latestAnswer`).
    /// @return The price.
    function latestAnswer() external view returns (int256) {
        return _rounds[latestRound].answer;
    }
}
