// The part of zmodem.js 0.1.10 (FGasper/zmodemjs, Apache-2.0; CommonJS, no types of its own) the
// terminal uses: the Sentry that spots a ZMODEM start in a byte stream, and its sessions.
declare module 'zmodem.js' {
  interface FileDetails {
    name: string;
    size?: number;
    mtime?: Date;
  }

  interface Transfer {
    get_details(): FileDetails;
    get_offset(): number;
    /** Receive: resolves with the file's pieces once it arrived whole. */
    accept(options?: { on_input?: 'spool_uint8array' | 'spool_array' | ((payload: number[]) => void) }): Promise<Uint8Array[]>;
    skip(): void;
    on(event: 'input', handler: (payload: number[]) => void): void;
    on(event: 'complete', handler: () => void): void;
    /** Send: the next bytes of the file. */
    send(bytes: Uint8Array | number[]): void;
    end(bytes?: Uint8Array | number[]): Promise<void>;
  }

  interface Session {
    readonly type: 'send' | 'receive';
    on(event: 'offer', handler: (offer: Transfer) => void): void;
    on(event: 'session_end', handler: () => void): void;
    start(): void;
    abort(): void;
    aborted(): boolean;
    has_ended(): boolean;
    send_offer(params: { name: string; size: number; mtime?: Date }): Promise<Transfer | undefined>;
    close(): Promise<void>;
  }

  interface Detection {
    confirm(): Session;
    deny(): void;
    get_session_role(): 'send' | 'receive';
  }

  interface SentryOptions {
    to_terminal(octets: number[]): void;
    sender(octets: number[]): void;
    on_detect(detection: Detection): void;
    on_retract(): void;
  }

  interface Sentry {
    consume(input: ArrayBuffer | Uint8Array | number[]): void;
    get_confirmed_session(): Session | null;
  }

  const Zmodem: { Sentry: new (options: SentryOptions) => Sentry };
  export default Zmodem;
  export type { Detection, Sentry, Session, Transfer };
}
