// Portico as a library (SPEC §8): the package's main export. Everything here drives the data
// plane's own forwarding, tunnelling and balancing modules and the control plane's prober; see
// README "Library".
export { proxyPass, proxyWebSocket, closeSharedConnections, type ProxyPassOptions } from './proxy.js';
export { HealthChecker, type HealthCheckerOptions, type HealthCheckOptions, type HealthCheckedEndpoint, type HealthCheckerEvents, type EndpointStatus, type HealthState } from './health-checker.js';
export { LoadBalancer, type LoadBalancerOptions, type Balancer, type ProxyResult, type ProxiedWebSocket, type PickedEndpoint } from './load-balancer.js';
export { porticoProxy, type PorticoProxyOptions } from './fastify.js';
export type { Duration, EndpointOptions, HeaderOverrides, ProxyOptions, RequestOverrides } from './options.js';
export { PorticoError, type ErrorCode } from '../../../shared/src/errors.js';
export { BALANCERS } from '../../../shared/src/config/schema.js';
