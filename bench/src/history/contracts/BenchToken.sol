// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title BenchToken
/// @notice A minimal ERC-20 for the benchmark's large history: real balances, real supply and real
/// `Transfer` events (transfers, mints and burns). `spray` moves many small amounts in one
/// transaction so a million events cost seconds of anvil time instead of a million transactions.
contract BenchToken {
    event Transfer(address indexed from, address indexed to, uint256 value);

    string public name;
    string public symbol;
    uint8 public immutable decimals;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;

    constructor(string memory name_, string memory symbol_, uint8 decimals_) {
        name = name_;
        symbol = symbol_;
        decimals = decimals_;
    }

    function mint(address to, uint256 value) external {
        totalSupply += value;
        balanceOf[to] += value;
        emit Transfer(address(0), to, value);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        balanceOf[msg.sender] -= value;
        balanceOf[to] += value;
        emit Transfer(msg.sender, to, value);
        return true;
    }

    /// @notice Emits `count` Transfer events: mostly transfers of 1..7 units from the caller to one of
    /// `fanout` holders derived from `seed`; every 50th is a mint to that holder and every 50th
    /// (offset 25) a burn from the caller, so supply moves too.
    function spray(uint256 count, uint256 fanout, uint256 seed) external {
        uint256 senderBalance = balanceOf[msg.sender];
        uint256 supply = totalSupply;
        for (uint256 i = 0; i < count; ++i) {
            address to = address(uint160(uint256(keccak256(abi.encode(seed, i % fanout)))));
            uint256 value = 1 + (i % 7);
            uint256 kind = i % 50;
            if (kind == 0) {
                supply += value;
                balanceOf[to] += value;
                emit Transfer(address(0), to, value);
            } else if (kind == 25) {
                supply -= value;
                senderBalance -= value;
                emit Transfer(msg.sender, address(0), value);
            } else {
                senderBalance -= value;
                balanceOf[to] += value;
                emit Transfer(msg.sender, to, value);
            }
        }
        balanceOf[msg.sender] = senderBalance;
        totalSupply = supply;
    }
}

/// @title BenchFeed
/// @notice A Chainlink-style USD price feed (8 decimals) for the bench's reserve assets: Ballast
/// values reserves with it, and its `AnswerUpdated` events are indexed like a real feed's.
contract BenchFeed {
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    uint8 public constant decimals = 8;
    int256 public latestAnswer;
    uint80 public latestRound;
    uint256 public latestTimestamp;

    function updateAnswer(int256 answer) external {
        latestRound += 1;
        latestAnswer = answer;
        latestTimestamp = block.timestamp;
        emit AnswerUpdated(answer, latestRound, block.timestamp);
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return (latestRound, latestAnswer, latestTimestamp, latestTimestamp, latestRound);
    }
}
