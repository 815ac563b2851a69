#!/usr/bin/env node
// Sluice runs from its TypeScript sources (and so can your forked handlers): tsx compiles on load.
import { register } from 'tsx/esm/api';

// The SDK warns on every start that future releases will need Node 22. Sluice supports Node 20
// locally and deploys to a Node 22+ Lambda runtime, so the warning only adds noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
await import('../shared/workbench/cli/main.ts');
