// serverless.yml's plugin. osls loads plugins with require() (or import() where that fails), and
// Sluice is TypeScript run through tsx, so this file only loads serverless-service.ts through tsx
// and wires its steps to the framework's lifecycle.
import { tsImport } from 'tsx/esm/api';

export default class SluicePlugin {
  constructor(serverless, options, { log }) {
    this.serverless = serverless;
    this.options = options;
    this.log = log;
    this.hooks = {
      'before:package:createDeploymentArtifacts': () => this.reported(() => this.deployment.packageFunctions(this.log)),
      'before:package:function:package': () => this.reported(() => this.deployment.packageFunctions(this.log, this.options.function)),
      'after:package:compileEvents': () => this.deployment.setOnFailureDestinations(),
      'before:invoke:local:invoke': () => this.deployment.prepareInvokeLocal(this.options.function),
    };
  }

  // Runs while the configuration can still be extended, before the framework validates it.
  async asyncInit() {
    const { SluiceDeployment } = await tsImport('./serverless-service.ts', import.meta.url);
    this.deployment = await this.reported(() => SluiceDeployment.load(this.serverless));
  }

  // Sluice's own errors (a broken pipeline, a name S3 refuses) are the user's to fix: shown as the
  // framework shows configuration errors, the message without a stack.
  async reported(step) {
    try {
      return await step();
    } catch (error) {
      if (error && typeof error.code === 'string' && error.permanent === true) throw new this.serverless.classes.Error(error.message, `SLUICE_${error.code}`);
      throw error;
    }
  }
}
