// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import { Ownable } from "@openzeppelin/contracts/access/Ownable.sol";
import { OFTAdapter } from "@layerzerolabs/oft-evm/contracts/OFTAdapter.sol";

/**
 * @title DevnetOFTAdapter
 * @notice LayerZero V2 OFTAdapter of a reserve asset on its home chain: locks the canonical ERC-20
 * on send and releases it on receive. Tokens locked here are not circulating on the home chain.
 */
contract DevnetOFTAdapter is OFTAdapter {
    /// @notice Deploys the adapter.
    /// @param token_ The canonical ERC-20.
    /// @param endpoint_ The LayerZero V2 endpoint on this chain.
    /// @param owner_ Owner and LayerZero delegate.
    constructor(address token_, address endpoint_, address owner_)
        OFTAdapter(token_, endpoint_, owner_)
        Ownable(owner_)
    {}
}
