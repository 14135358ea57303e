// @walletmesh/router's store names its session type from the router's own types, which the
// benchmark does not load: any JSON value stands in for it.
type SessionData = Record<string, unknown>;
