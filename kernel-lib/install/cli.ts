import { installBrowserExtensions, uninstallBrowserExtensions } from './browser-extensions';
import { installPrefix, type InstallTarget } from './jupyter-paths';
import { installKernelSpec, KERNEL_DISPLAY_NAME, uninstallKernelSpec } from './kernelspec';

const USAGE = `Usage:
  convlens install   [--user | --sys-prefix | --prefix P] [--python PY]
      Install the "${KERNEL_DISPLAY_NAME}" Jupyter kernel and the convlens widget extensions.
      --user (the default unless root): for this user, no root needed.
      --sys-prefix: into the sys.prefix of PY (default python3), e.g. a virtualenv.
      --prefix P: into P/share/jupyter.
  convlens uninstall [--user | --sys-prefix | --prefix P] [--python PY]
      Remove them again.
  convlens kernel --config-path CONNECTION_FILE
      Start the kernel (Jupyter runs this).`;

/** Parsed command line. */
interface Command {
  name: string;
  target: InstallTarget;
  configPath?: string;
}

/** Parse `argv` (without node and the script); throws with the usage on a bad command line. */
export function parseCommandLine(argv: string[]): Command {
  const [name, ...rest] = argv;
  const command: Command = { name: name ?? 'help', target: {} };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? rest[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n\n${USAGE}`);
      return v;
    };
    if (flag === '--user') command.target.user = true;
    else if (flag === '--sys-prefix') command.target.sysPrefix = true;
    else if (flag === '--prefix') command.target.prefix = value();
    else if (flag === '--python') command.target.python = value();
    else if (flag === '--config-path') command.configPath = value();
    else if (name === 'kernel' && command.configPath === undefined && !flag.startsWith('-')) command.configPath = flag;
    else throw new Error(`unknown argument '${arg}' for '${command.name}'\n\n${USAGE}`);
  }
  const { user, sysPrefix, prefix } = command.target;
  if ([user, sysPrefix, prefix !== undefined].filter(Boolean).length > 1) {
    throw new Error(`choose at most one of --user, --sys-prefix and --prefix\n\n${USAGE}`);
  }
  return command;
}

/** Run the `convlens` command line. */
export async function main(argv: string[]): Promise<void> {
  const command = parseCommandLine(argv);
  switch (command.name) {
    case 'install': {
      const prefix = installPrefix(command.target);
      console.log(`Installed kernelspec '${KERNEL_DISPLAY_NAME}' in ${installKernelSpec(prefix)}`);
      for (const p of installBrowserExtensions(prefix)) console.log(`Installed ${p}`);
      return;
    }
    case 'uninstall': {
      const prefix = installPrefix(command.target);
      const dir = uninstallKernelSpec(prefix);
      console.log(dir ? `Removed kernelspec ${dir}` : `No convlens kernelspec under ${prefix}`);
      for (const p of uninstallBrowserExtensions(prefix)) console.log(`Removed ${p}`);
      return;
    }
    case 'kernel': {
      if (!command.configPath) throw new Error(`kernel needs --config-path\n\n${USAGE}`);
      const { startKernel } = await import('../kernel/start-kernel');
      await startKernel(command.configPath);
      return;
    }
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      throw new Error(`unknown command '${command.name}'\n\n${USAGE}`);
  }
}
