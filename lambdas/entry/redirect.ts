import { configFromEnv } from '../config.ts';
import { redirectHandler } from '../handlers/redirect.ts';
import { leanRedirectPorts } from '../redirect-composition.ts';
import { registerAfterResponseExtension } from '../runtime/after-response-extension.ts';

const { links, clicks } = leanRedirectPorts(configFromEnv());

// Registered during init, so that every invocation stays open until its click puts have finished,
// while the 301 itself goes back to the visitor straight away. The wrapper tells the extension when
// the handler has returned, i.e. when flushing can begin.
const afterResponse = await registerAfterResponseExtension(() => clicks.flush());

export const handler = afterResponse(redirectHandler({ links, clicks }));
