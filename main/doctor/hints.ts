import type { InstallHint } from '../contract/index.ts';

/** How to install each outside tool, per platform, in the words of that platform's package manager. */
export const installHints = {
  docker: {
    debian: 'sudo apt install docker.io',
    fedora: 'sudo dnf install moby-engine',
    macos: 'brew install --cask docker',
    windows: 'winget install Docker.DockerDesktop',
  },
  wireshark: {
    debian: 'sudo apt install wireshark',
    fedora: 'sudo dnf install wireshark',
    macos: 'brew install --cask wireshark',
    windows: 'winget install WiresharkFoundation.Wireshark',
  },
  tshark: {
    debian: 'sudo apt install tshark',
    fedora: 'sudo dnf install wireshark-cli',
    macos: 'brew install wireshark',
    windows: 'winget install WiresharkFoundation.Wireshark (includes TShark)',
  },
  dumpcap: {
    debian: 'sudo apt install wireshark-common',
    fedora: 'sudo dnf install wireshark-cli',
    macos: 'brew install wireshark',
    windows: 'winget install WiresharkFoundation.Wireshark (includes dumpcap)',
  },
  certutil: {
    debian: 'sudo apt install libnss3-tools',
    fedora: 'sudo dnf install nss-tools',
    macos: 'brew install nss',
    windows: 'built into Windows (certutil.exe)',
  },
  openssl: {
    debian: 'sudo apt install openssl',
    fedora: 'sudo dnf install openssl',
    macos: 'brew install openssl@3',
    windows: 'winget install ShiningLight.OpenSSL.Light',
  },
  keytool: {
    debian: 'sudo apt install default-jre-headless',
    fedora: 'sudo dnf install java-21-openjdk-headless',
    macos: 'brew install openjdk',
    windows: 'winget install EclipseAdoptium.Temurin.21.JRE',
  },
  bash: {
    debian: 'sudo apt install bash',
    fedora: 'sudo dnf install bash',
    macos: 'brew install bash (macOS ships bash 3.2; the hook needs 4.4+)',
    windows: 'winget install Git.Git (Git Bash) or use WSL',
  },
  zsh: {
    debian: 'sudo apt install zsh',
    fedora: 'sudo dnf install zsh',
    macos: 'built into macOS (or brew install zsh)',
    windows: 'use WSL: wsl --install, then sudo apt install zsh',
  },
  fish: {
    debian: 'sudo apt install fish',
    fedora: 'sudo dnf install fish',
    macos: 'brew install fish',
    windows: 'use WSL: wsl --install, then sudo apt install fish',
  },
} satisfies Record<string, InstallHint>;

export type ToolId = keyof typeof installHints;
