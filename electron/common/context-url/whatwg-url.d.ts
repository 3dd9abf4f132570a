// The subset of the WHATWG URL API the context-URL parser uses. electron/common
// compiles without DOM or Node types, yet every runtime it runs in (Node,
// Electron's processes, browsers) has the URL global. Declared as module types
// rather than an ambient `declare var URL`, so this file never clashes with the
// DOM or @types/node declarations when another program includes it.

export interface WhatwgUrl {
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly hostname: string;
  readonly port: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
}

export interface WhatwgUrlConstructor {
  /** Throws a TypeError when the input is not a valid URL. */
  new (input: string): WhatwgUrl;
}
