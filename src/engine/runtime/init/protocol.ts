/**
 * How the daemon and a container's init (or exec helper) talk while it starts: fd 3 is ctl (the
 * daemon writes the path of the config, one line, once the process is in its cgroups: an init
 * may be spawned ahead and wait there), fd 4 is sts (close-on-exec: it closes without a word
 * when execve succeeded; otherwise one JSON StartFailure comes first).
 *
 * An init with network attachments says NETNS_READY on sts once it has its own network
 * namespace, and waits for one more line on ctl: NETNS_GO once the daemon has put the veths in
 * (RUNTIME.md, start sequence step 5); anything else, or ctl closing, and it gives up.
 */
export const CTL_FD = 3;
export const STS_FD = 4;

export interface StartFailure {
  message: string;
  /** Docker's: 127 command not found, 126 not executable, 125 anything else. */
  exitCode: number;
}

export const NETNS_READY = 'netns\n';
export const NETNS_GO = 'go';
