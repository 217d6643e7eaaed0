import type { Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyReply } from 'fastify';

/**
 * Owns everything the sandbox deliberately leaves unfinished (hung requests, injected latency,
 * slow commits), so `close()` can end it: Node's server.close() would otherwise wait for them forever.
 */
export class Lifecycle {
  private readonly closing = new AbortController();
  private readonly hungSockets = new Set<Socket>();
  private pending = 0;

  /** Waits `ms`; false when the server started closing meanwhile (the caller should give up). */
  async sleep(ms: number): Promise<boolean> {
    try {
      await delay(ms, undefined, { signal: this.closing.signal });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Marks a call received and not yet applied or refused (it may be waiting out latency or a slow
   * commit): whoever checks DCMS's state must wait for these. Returns the function that unmarks it.
   */
  begin(): () => void {
    this.pending += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.pending -= 1;
    };
  }

  /** Calls that may still change DCMS's state. */
  get pendingCalls(): number {
    return this.pending;
  }

  /** Takes the reply out of Fastify's hands and never answers; the client has to time out. */
  hang(reply: FastifyReply): FastifyReply {
    reply.hijack();
    const socket = reply.request.raw.socket;
    this.hungSockets.add(socket);
    socket.once('close', () => this.hungSockets.delete(socket));
    return reply;
  }

  /** Destroys the connection without an answer, as a crashed DCMS node or a reset load balancer would. */
  drop(reply: FastifyReply): FastifyReply {
    reply.hijack();
    reply.request.raw.socket.destroy();
    return reply;
  }

  /** Stops pending latency and slow commits, and destroys hung connections (Fastify preClose hook). */
  shutdown(): void {
    this.closing.abort();
    for (const socket of this.hungSockets) socket.destroy();
    this.hungSockets.clear();
  }
}
