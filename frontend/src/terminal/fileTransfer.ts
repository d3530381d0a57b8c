// ZMODEM file transfer in the controller's terminal (zmodem.js 0.1.10, pinned): a Sentry watches the
// device's output; `sz file` on the device starts a download, `rz` an upload of files the user
// picks. While a transfer runs its bytes go to zmodem.js, never to the text decoder; when it ends
// (or is cancelled: ZMODEM's abort, five CAN) the stream is the terminal's again. Only the
// controller runs the protocol: an observer's bytes go straight to the screen (the portal sends
// observers a note instead of the binary anyway). The library's known failure modes are handled
// here: a device that never sends the final "OO" (the next output would make zmodem.js throw: the
// transfer is complete and the bytes are the terminal's), and a cancel during an upload (the
// library's sender throws "already aborted" under the loop that feeds it).

import Zmodem, { type Detection, type Sentry, type Session, type Transfer } from 'zmodem.js';

export type TransferDirection = 'download' | 'upload';
export type TransferOutcome = 'complete' | 'cancelled' | 'failed';

export interface TransferProgress {
  direction: TransferDirection;
  name: string;
  /** Bytes in the file, when the sender said. */
  size: number | null;
  /** Bytes moved so far. */
  done: number;
  /** Blocks sent again (XMODEM/YMODEM). */
  retries?: number;
}

/** What the page shows and asks (transferPanel.ts). */
export interface TransferUi {
  /** The device waits for files (`rz`): the ones the user picked, or null to cancel. */
  chooseFiles(): Promise<File[] | null>;
  progress(progress: TransferProgress): void;
  /** A downloaded file, whole: hand it to the user. */
  received(name: string, data: Blob): void;
  finished(direction: TransferDirection, outcome: TransferOutcome, detail: string): void;
}

export interface TransferHost {
  /** Terminal output, in order (the feed and its decoder). */
  toTerminal(bytes: Uint8Array): void;
  /** Bytes to the device; false when they could not be sent. */
  toDevice(bytes: Uint8Array): boolean;
  /** Whether this browser controls the session now. */
  controlling(): boolean;
  /** Bytes handed to the socket and not yet sent: an upload waits while this is high. */
  buffered(): number;
}

/** An upload hands the library its file in pieces this big, so cancel and progress stay prompt. */
export const UPLOAD_PIECE = 16 * 1024;

/** An upload waits while more than this waits in the socket: a 2 MiB file is not buffered whole. */
export const UPLOAD_BUFFER = 256 * 1024;

/** How long an upload waits before it looks at the socket's buffer again. */
export const UPLOAD_POLL_MS = 20;

/**
 * After a cancelled download the device's file data still arrives until it answers the abort (sz
 * sends its own CANs); it is dropped, not shown, until then or until the device is quiet this long
 * (as the portal's watcher does).
 */
export const DRAIN_QUIET_MS = 3_000;

/** Five CAN in a row: ZMODEM's abort. */
function abortEnd(bytes: Uint8Array): number {
  let run = 0;
  for (let i = 0; i < bytes.length; i++) {
    run = bytes[i] === 0x18 ? run + 1 : 0;
    if (run === 5) {
      let end = i + 1;
      while (end < bytes.length && (bytes[end] === 0x18 || bytes[end] === 0x08)) end++; // lrzsz: 10 CAN, 10 BS
      return end;
    }
  }
  return -1;
}

/** `**` ZDLE `B0`: how a ZMODEM start header begins. */
const ZMODEM_START = [0x2a, 0x2a, 0x18, 0x42, 0x30];

/** The bytes before a ZMODEM start header (zmodem.js hands the chunk that holds it to the terminal whole). */
export function beforeZmodemStart(octets: number[]): number[] {
  for (let i = 0; i + ZMODEM_START.length <= octets.length; i++) {
    if (ZMODEM_START.every((b, k) => octets[i + k] === b)) return octets.slice(0, i);
  }
  return octets;
}

export class FileTransfers {
  private sentry: Sentry;
  private session: Session | null = null;
  private direction: TransferDirection = 'download';
  private cancelled = false;
  private failure: string | null = null;
  /** A cancelled download's data still arriving is dropped; when the last of it came (ms). */
  private drainingSince: number | null = null;

  constructor(
    private readonly host: TransferHost,
    private readonly ui: TransferUi,
    private readonly wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    private readonly now: () => number = () => Date.now(),
  ) {
    this.sentry = this.newSentry();
  }

  /** Whether a transfer runs. */
  get active(): boolean {
    return this.session !== null;
  }

  /** Device output, in order. */
  push(bytes: Uint8Array): void {
    if (this.drainingSince !== null) {
      const end = abortEnd(bytes);
      const quiet = this.now() - this.drainingSince >= DRAIN_QUIET_MS;
      this.drainingSince = end < 0 && !quiet ? this.now() : null;
      if (end >= 0) bytes = bytes.subarray(end);
      else if (!quiet) return;
    }
    if (!this.session && !this.host.controlling()) {
      this.host.toTerminal(bytes);
      return;
    }
    try {
      this.sentry.consume(bytes);
    } catch (e) {
      this.broken(e, bytes);
    }
  }

  /** The user cancels: ZMODEM's abort goes to the device, the terminal takes the stream back. */
  cancel(): void {
    const session = this.session;
    if (!session) return;
    this.cancelled = true;
    if (session.type === 'receive') this.drainingSince = this.now();
    try {
      session.abort(); // ends the session: session_end reports it
    } catch {
      this.end();
    }
  }

  /** A new stream (reconnect, the portal's reset): a running transfer cannot go on. */
  reset(): void {
    if (this.session) {
      this.failure = 'the connection to the session started over';
      this.end();
    }
    this.sentry = this.newSentry();
    this.drainingSince = null;
  }

  private newSentry(): Sentry {
    return new Zmodem.Sentry({
      to_terminal: (octets) => {
        const shown = beforeZmodemStart(octets);
        if (shown.length) this.host.toTerminal(Uint8Array.from(shown));
      },
      sender: (octets) => {
        this.host.toDevice(Uint8Array.from(octets));
      },
      on_detect: (detection) => this.detected(detection),
      on_retract: () => {},
    });
  }

  private detected(detection: Detection): void {
    if (!this.host.controlling()) return; // never answer: the controller's browser does
    const session = detection.confirm();
    this.session = session;
    this.cancelled = false;
    this.failure = null;
    this.direction = session.type === 'receive' ? 'download' : 'upload';
    session.on('session_end', () => this.end());
    if (session.type === 'receive') {
      session.on('offer', (offer) => this.download(offer));
      session.start();
    } else {
      void this.chooseAndUpload(session);
    }
  }

  private download(offer: Transfer): void {
    const { name, size } = offer.get_details();
    const progress: TransferProgress = { direction: 'download', name, size: size ?? null, done: 0 };
    this.ui.progress(progress);
    offer.on('input', (payload) => {
      progress.done += payload.length;
      this.ui.progress(progress);
    });
    offer.accept().then(
      (parts) => {
        this.ui.received(name, new Blob(parts as BlobPart[]));
      },
      () => {}, // an abort: session_end says so
    );
  }

  private async chooseAndUpload(session: Session): Promise<void> {
    const files = await this.ui.chooseFiles();
    if (session !== this.session) return; // ended meanwhile (the device gave up)
    if (!files || files.length === 0) {
      this.cancel();
      return;
    }
    try {
      for (const file of files) {
        const offer = await session.send_offer({ name: file.name, size: file.size, mtime: new Date(file.lastModified) });
        if (!offer) continue; // the device skipped it (it has the file)
        await this.send(offer, file);
      }
      await session.close();
    } catch (e) {
      if (!this.cancelled && session === this.session) this.broken(e, new Uint8Array());
    }
  }

  private async send(offer: Transfer, file: File): Promise<void> {
    const data = new Uint8Array(await file.arrayBuffer());
    const progress: TransferProgress = { direction: 'upload', name: file.name, size: file.size, done: offer.get_offset() };
    this.ui.progress(progress);
    for (let at = offer.get_offset(); at < data.length; ) {
      while (this.host.buffered() > UPLOAD_BUFFER && !this.cancelled) await this.wait(UPLOAD_POLL_MS);
      if (this.cancelled) throw new Error('cancelled');
      const end = Math.min(at + UPLOAD_PIECE, data.length);
      offer.send(data.subarray(at, end));
      progress.done = end;
      this.ui.progress(progress);
      at = end;
      await this.wait(0); // let a click on Cancel in
    }
    await offer.end();
  }

  /** zmodem.js threw on device output: a missing "OO" after a whole download, or a broken transfer. */
  private broken(error: unknown, bytes: Uint8Array): void {
    const session = this.session;
    // after ZFIN the sender has sent every file: only its "OO" is missing
    const withoutOo = session?.type === 'receive' && String(error).includes('ZFIN');
    if (session && !withoutOo && !session.aborted()) {
      this.failure = String(error);
      try {
        session.abort();
      } catch {
        // the abort is best effort: the session is dropped either way
      }
    }
    if (this.session) this.end();
    this.sentry = this.newSentry();
    if (bytes.length) this.host.toTerminal(bytes);
  }

  private end(): void {
    if (!this.session) return;
    this.session = null;
    const outcome: TransferOutcome = this.failure ? 'failed' : this.cancelled ? 'cancelled' : 'complete';
    this.ui.finished(this.direction, outcome, this.failure ?? '');
  }
}
