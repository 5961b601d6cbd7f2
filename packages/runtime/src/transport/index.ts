export type {
  CommandAck,
  CommandClient,
  CommandClientOptions,
  CommandHandler,
  CommandResult,
  CommandServer,
  CommandServerOptions,
  CommandServerStats,
  MessageBus,
  PublisherOptions,
  SubscriberEvents,
  SubscriberOptions,
  TopicPublisher,
  TopicSubscriber,
} from './bus.js'
export { type CreateInProcessBusParameters, createInProcessBus, InProcessHub } from './createInProcessBus.js'
export { type CreateZmqBusParameters, createZmqBus } from './createZmqBus.js'
export { type Envelope, newEpoch, type Snapshot } from './envelope.js'
export {
  CommandNotAcknowledgedError,
  type CommandNotAcknowledgedErrorType,
  DuplicateBindingError,
  type DuplicateBindingErrorType,
  InvalidEndpointError,
  type InvalidEndpointErrorType,
  TransportClosedError,
  type TransportClosedErrorType,
} from './errors.js'
export { freeLoopbackEndpoints } from './freeLoopbackEndpoints.js'
export { type IpcEndpointsErrorType, type IpcEndpointsParameters, ipcEndpoints } from './ipcEndpoints.js'
export {
  type Endpoints,
  LINK_NAMES,
  type LinkEndpoint,
  type LinkName,
  type LinkSpec,
  PORT_MAP,
  type RoleName,
} from './portMap.js'
export {
  type ResolveEndpointsErrorType,
  type ResolveEndpointsParameters,
  resolveEndpoints,
} from './resolveEndpoints.js'
export { SequencedPublisher } from './SequencedPublisher.js'
export { type ReceiverOutput, type ReceiverPhase, type ReceiverStats, SequencedReceiver } from './SequencedReceiver.js'
export {
  COMMAND_SERVICES,
  type CommandServiceName,
  type CommandServiceSpec,
  type InventoryMessage,
  type MarketDataMessage,
  type MessageCodec,
  type OrderEventMessage,
  type OrderUpdateMessage,
  type PositionMessage,
  type RequestFillsCommand,
  type ServiceCommand,
  TOPICS,
  type TopicMessage,
  type TopicName,
  type TopicSpec,
  type TopicState,
  type VenueCommand,
  venueCommandId,
} from './topics.js'
