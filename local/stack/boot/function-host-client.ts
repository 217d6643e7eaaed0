import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { QueueKey } from '../../../shared/config/resources.js';
import type { Card91CallInfo } from '../../../shared/card91/index.js';
import type { DcmsCallInfo } from '../../../shared/dcms/client.js';
import type { OutcomeReport } from '../../../shared/observability/telemetry.js';
import type { HostConfiguration, HostMessage, HostReady, HostStatus, ParentMessage } from './host-protocol.js';

export interface FunctionHostListeners {
  onOutcome(queue: QueueKey, report: OutcomeReport): void;
  onDcmsCall(call: DcmsCallInfo): void;
  onCard91Call(call: Card91CallInfo): void;
  onPollerError(queue: QueueKey, error: string): void;
  /** The host ended without being asked to (a crash): the stack cannot go on. */
  onUnexpectedExit(description: string): void;
}

export interface FunctionHostOptions {
  configuration: HostConfiguration;
  /** The complete environment of the host process (AWS endpoints, Powertools switches). */
  env: NodeJS.ProcessEnv;
  /** Where the functions' stdout and stderr go (appended). */
  logFile: string;
  listeners: FunctionHostListeners;
}

const HOST_ENTRY = fileURLToPath(new URL('./function-host.ts', import.meta.url));
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** The stack's handle on the functions host process (see function-host.ts). */
export class FunctionHost {
  private nextStatusId = 1;
  private readonly pendingStatus = new Map<number, { resolve: (status: HostStatus) => void; reject: (error: Error) => void }>();
  private stopRequested = false;
  private running = false;
  private readonly exited: Promise<void>;
  private readonly started: Promise<HostReady>;
  private readyAnswer: HostReady = { workers: [], webhooks: { url: '', routes: [] } };

  /** Listens before anything is sent, so no message of the host can go unheard. */
  private constructor(
    private readonly child: ChildProcess,
    listeners: FunctionHostListeners,
  ) {
    let startup: { resolve: (ready: HostReady) => void; reject: (error: Error) => void } | undefined;
    this.started = new Promise((resolve, reject) => (startup = { resolve, reject }));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.on('message', (message: HostMessage) => {
      switch (message.type) {
        case 'ready':
          this.running = true;
          return startup?.resolve({ workers: message.workers, webhooks: message.webhooks });
        case 'startFailed':
          return startup?.reject(new Error(`the functions could not start: ${message.error}`));
        case 'outcome':
          return listeners.onOutcome(message.queue, message.report);
        case 'dcmsCall':
          return listeners.onDcmsCall(message.call);
        case 'card91Call':
          return listeners.onCard91Call(message.call);
        case 'pollerError':
          return listeners.onPollerError(message.queue, message.error);
        case 'status': {
          const { id, busy, dynamo } = message;
          this.pendingStatus.get(id)?.resolve({ busy, dynamo });
          this.pendingStatus.delete(id);
          return;
        }
      }
    });
    child.once('exit', (code, signal) => {
      const description = signal ? `signal ${signal}` : `exit code ${code}`;
      startup?.reject(new Error(`the functions host exited during start-up (${description})`));
      for (const pending of this.pendingStatus.values()) pending.reject(new Error('the functions host has exited'));
      this.pendingStatus.clear();
      // A failed start-up is reported by start(); after it, an exit nobody asked for is a crash.
      if (this.running && !this.stopRequested) listeners.onUnexpectedExit(description);
    });
  }

  /** Forks the host, hands it the configuration and waits until every poller runs. */
  static async start(options: FunctionHostOptions): Promise<FunctionHost> {
    const log = openSync(options.logFile, 'a');
    let child: ChildProcess;
    try {
      // The same loader flags as this process (tsx), so the host runs the TypeScript sources too.
      child = fork(HOST_ENTRY, [], { execArgv: process.execArgv, env: options.env, stdio: ['ignore', log, log, 'ipc'] });
    } finally {
      closeSync(log);
    }
    const host = new FunctionHost(child, options.listeners);
    host.send({ type: 'start', configuration: options.configuration });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, READY_TIMEOUT_MS);
    try {
      host.readyAnswer = await host.started;
      return host;
    } catch (error) {
      child.kill('SIGKILL');
      throw timedOut ? new Error(`the functions host did not start within ${READY_TIMEOUT_MS / 1_000} s`) : error;
    } finally {
      clearTimeout(timer);
    }
  }

  get workers(): ReadonlyArray<{ queue: QueueKey; serviceName: string }> {
    return this.readyAnswer.workers;
  }

  /** The local API Gateway in front of the webhooks: base URL and route keys. */
  get webhooks(): HostReady['webhooks'] {
    return this.readyAnswer.webhooks;
  }

  /** Busy pollers and DynamoDB counts, as of now (every outcome reported earlier has been delivered). */
  status(): Promise<HostStatus> {
    const id = this.nextStatusId++;
    return new Promise((resolve, reject) => {
      if (!this.child.connected) return reject(new Error('the functions host is not running'));
      this.pendingStatus.set(id, { resolve, reject });
      this.send({ type: 'status', id });
    });
  }

  /** Lets the pollers finish the invocations under way, then waits for the process to end. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  private send(message: ParentMessage): void {
    if (this.child.connected) this.child.send(message);
  }
}
