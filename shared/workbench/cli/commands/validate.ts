import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadProject } from '../../project/load-project.ts';
import { byPlace, formatPreflightIssue, preflightIssues } from '../../checks/preflight.ts';
import { secretIssues } from '../../checks/secrets.ts';
import { findProjectRoot } from '../../project/project-handlers.ts';
import { DEFAULT_PIPELINES_DIR } from '../options.ts';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .argument('[DIR]', 'folder of pipeline definitions and their resources.yml', DEFAULT_PIPELINES_DIR)
    .description('check every pipeline definition, the project (declared resources, trigger cycles) and what it needs on AWS Lambda (memory, timeouts, stream defaults); prints each problem as file:line:column: message')
    .action(async (dir: string) => {
      const { pipelines, resources } = await loadProject(resolve(dir));
      // Problems and warnings go to stderr, like every problem; stdout keeps the verdict.
      // A secret the pipelines read from the environment and this one lacks: a warning, since where they run may have it.
      const preflight = [...preflightIssues({ pipelines }), ...secretIssues(pipelines, findProjectRoot(dir))].sort(byPlace);
      for (const issue of preflight) console.error(formatPreflightIssue(issue));
      const errors = preflight.filter((issue) => issue.severity === 'error').length;
      const warnings = preflight.length - errors;
      if (errors) {
        console.error(`${errors} problem(s) found${warnings ? `, ${warnings} warning(s)` : ''}`);
        process.exitCode = 1;
        return;
      }
      const buckets = Object.keys(resources.buckets).length;
      const tables = Object.keys(resources.tables).length;
      const declared = `${buckets} bucket(s)${tables ? ` and ${tables} table(s)` : ''} declared`;
      console.log(`${pipelines.length} pipeline(s) valid: ${pipelines.map((p) => p.name).join(', ')}; ${declared}${warnings ? `; ${warnings} warning(s)` : ''}`);
    });
}
