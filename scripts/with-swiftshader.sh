#!/usr/bin/env bash
# Runs a command with a software WebGPU adapter visible: Dawn (npm `webgpu`) finds SwiftShader,
# the Vulkan driver Debian's chromium package ships, so the webgpu backend runs without a GPU.
#   scripts/with-swiftshader.sh CONVLENS_BACKEND=webgpu npx jest test/techniques
# Sets VK_ICD_FILENAMES (SwiftShader's driver manifest), XDG_RUNTIME_DIR (a fresh folder when
# unset: Dawn needs one) and, when the system has no Vulkan loader (Debian's libvulkan1),
# LD_LIBRARY_PATH to chromium's copy of it. Leading NAME=value arguments are set too.
# See docs/gpu.md.
set -euo pipefail
icd=/usr/lib/chromium/vk_swiftshader_icd.json
[ -f "$icd" ] || { echo "with-swiftshader.sh: $icd missing: apt-get install chromium" >&2; exit 2; }
export VK_ICD_FILENAMES="$icd"
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -d "$XDG_RUNTIME_DIR" ]; then
  XDG_RUNTIME_DIR="$(mktemp -d)"; export XDG_RUNTIME_DIR
fi
if ! /sbin/ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1 '; then
  export LD_LIBRARY_PATH="/usr/lib/chromium${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
while [ $# -gt 0 ] && [[ "$1" == [A-Za-z_]*=* ]]; do export "${1?}"; shift; done
exec "$@"
