/** A generator parameter set: flat string values in fasttemplate mode, nested JSON values in goTemplate mode. */
export type Params = Record<string, unknown>;
