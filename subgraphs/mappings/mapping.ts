// The one mapping every data source and template points at: graph-cli compiles a shared file once
// per build, so a network builds in one AssemblyScript compile instead of one per template.
// Handlers shared by several templates (Transfer, OFTSent, OFTReceived) read the same parameters
// whichever ABI the event class was generated from.
export { handleAnswerUpdated } from './feed'
export { handleCallExecuted, handleCallScheduled, handleCancelled, handleStatementPosted } from './governance'
export { handleOftReceived, handleOftSent } from './oft'
export {
  handleHolderAcknowledged,
  handleMemberJoined,
  handleMemberLeft,
  handlePoolCreated,
  handlePoolTargetsUpdated,
  handleRiskParametersUpdated,
  handleStart,
} from './registry'
export { handleTransfer } from './token'
export { handleDeposit, handleWithdraw } from './vault'
