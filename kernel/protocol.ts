// The Jupyter messaging protocol (v5.3) over ZeroMQ: connection file, HMAC signing, message framing, sockets.
// https://jupyter-client.readthedocs.io/en/latest/messaging.html
import { createHmac, randomUUID } from "crypto";
import * as fs from "fs";

export interface ConnectionInfo {
  transport: string;
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

export interface Header {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

export interface Message {
  identities: Buffer[];
  header: Header;
  parent_header: Header | Record<string, never>;
  metadata: Record<string, unknown>;
  content: Record<string, any>;
  buffers: Buffer[];
}

const DELIMITER = "<IDS|MSG>";
export const PROTOCOL_VERSION = "5.3";

export function readConnectionFile(file: string): ConnectionInfo {
  return JSON.parse(fs.readFileSync(file, "utf8")) as ConnectionInfo;
}

export class Signer {
  private readonly algorithm: string | null;

  constructor(private readonly key: string, scheme: string) {
    this.algorithm = key ? scheme.replace(/^hmac-/, "") : null;
  }

  sign(parts: Array<Buffer | string>): string {
    if (!this.algorithm) return "";
    const h = createHmac(this.algorithm, this.key);
    for (const p of parts) h.update(p);
    return h.digest("hex");
  }
}

export function parseMessage(frames: Buffer[], signer: Signer): Message {
  let i = 0;
  const identities: Buffer[] = [];
  while (i < frames.length && frames[i].toString() !== DELIMITER) identities.push(frames[i++]);
  if (i >= frames.length) throw new Error("message without <IDS|MSG> delimiter");
  const signature = frames[i + 1].toString();
  const body = frames.slice(i + 2, i + 6);
  const expected = signer.sign(body);
  if (expected !== signature) throw new Error("invalid message signature");
  return {
    identities,
    header: JSON.parse(body[0].toString()),
    parent_header: JSON.parse(body[1].toString()),
    metadata: JSON.parse(body[2].toString()),
    content: JSON.parse(body[3].toString()),
    buffers: frames.slice(i + 6),
  };
}

export function serializeMessage(
  msg: Pick<Message, "identities" | "header" | "parent_header" | "metadata" | "content">,
  signer: Signer,
): Array<Buffer | string> {
  const body = [
    JSON.stringify(msg.header),
    JSON.stringify(msg.parent_header),
    JSON.stringify(msg.metadata),
    JSON.stringify(msg.content),
  ];
  return [...msg.identities, DELIMITER, signer.sign(body), ...body];
}

export function newHeader(msgType: string, session: string): Header {
  return {
    msg_id: randomUUID(),
    msg_type: msgType,
    session,
    username: "kernel",
    date: new Date().toISOString(),
    version: PROTOCOL_VERSION,
  };
}
