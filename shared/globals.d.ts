// The few runtime globals that every Flotilla runtime (Node, Electron, browsers) provides and shared/ may use.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
