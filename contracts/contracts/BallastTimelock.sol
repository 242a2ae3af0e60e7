// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import { TimelockController } from "@openzeppelin/contracts/governance/TimelockController.sol";

/**
 * @title BallastTimelock
 * @notice OpenZeppelin's `TimelockController`, unchanged, under a name of ours so that its compiled
 * artifact sits beside the registry's. One per registry role, or one for all.
 */
contract BallastTimelock is TimelockController {
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    { }
}
