/** The line protocol between the agent and its launcher process: one JSON object per line each way. */

/** Run a command to completion and collect its output. */
export interface RunRequest {
  id: number;
  kind: 'run';
  file: string;
  args: string[];
  /** Written to stdin, which is then closed; stdin is /dev/null when absent and `stdinPipe` is false. */
  input?: string;
  stdinPipe?: boolean;
  /** Replaces the environment entirely when given. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * Start a detached daemon (conmon) that reports on a sync pipe at fd 3, and answer with the first
 * JSON message it writes there; the daemon outlives both processes.
 */
export interface SyncPipeRequest {
  id: number;
  kind: 'sync-pipe';
  file: string;
  args: string[];
  /** Added to the launcher's environment. */
  env?: Record<string, string>;
  /** Working directory of the daemon (conmon drops files such as `oom` there). */
  cwd?: string;
  timeoutMs: number;
}

/** Kill (SIGKILL) the command of an earlier run request; its answer then reports the signal. */
export interface CancelRequest {
  id: number;
  kind: 'cancel';
  target: number;
}

export type LaunchRequest = RunRequest | SyncPipeRequest | CancelRequest;

/** The answer to one request; `error` when the command could not be started at all. */
export interface LaunchResponse {
  id: number;
  code: number;
  stdout: string;
  stderr: string;
  error?: { message: string; code?: string };
}
