/** Every end-to-end test runs the bundle that test/global-setup.ts built from the current src/. */
import { inject } from 'vitest';
import { useActionScript } from '../../scripts/run-step.js';

useActionScript(inject('actionScript'));
