#!/usr/bin/env bash
# The CUDA path, checked on a machine with an NVIDIA GPU, from a fresh clone, in about 3 minutes:
#
#   benchmarks/gpu_check.sh                # makes .venv-gpu and installs aeviewer into it
#   benchmarks/gpu_check.sh --no-install   # uses the python on PATH (aeviewer installed)
#
# It trains ae, conv, vae and gan for 2 epochs each on CUDA and for 1 epoch on the CPU, an ae
# on a .npy streamed from disk, and a 1-GPU torchrun (DDP, NCCL) run, and prints each run's
# samples/s and the ratio CUDA / CPU.
# Any failure (no CUDA device, a run that fails, a run directory without its epochs) ends it
# with a non-zero exit status. GPU_CHECK_DEVICE=cpu runs the same steps on the CPU only, to
# check the script itself on a machine without a GPU.
set -euo pipefail
cd "$(dirname "$0")/.."

device=${GPU_CHECK_DEVICE:-cuda}
data=${GPU_CHECK_DATA:-builtin:shapes?n=10000}
fail() { echo "gpu_check: FAILED: $*" >&2; exit 1; }

if [ "${1:-}" != "--no-install" ]; then
  python3 -m venv .venv-gpu
  # shellcheck disable=SC1091
  . .venv-gpu/bin/activate
  pip install -q --upgrade pip
  pip install -q -e . || fail "pip install -e . did not succeed"
fi

python - "$device" <<'EOF' || fail "no usable CUDA device (see above)"
import sys
import torch
device = sys.argv[1]
print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, device {device}")
if device == "cuda":
    if not torch.cuda.is_available():
        sys.exit("gpu_check: torch.cuda.is_available() is False (a CPU build of torch, or no driver)")
    print(f"GPU: {torch.cuda.get_device_name(0)}")
    import torch.distributed as dist
    if not dist.is_nccl_available():
        sys.exit("gpu_check: this torch build has no NCCL")
EOF

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# samples/s of a run's last epoch, and a check that it has the epochs asked for.
rate() {
  python - "$1" "$2" <<'EOF'
import json, sys
lines = [json.loads(l) for l in open(f"{sys.argv[1]}/metrics.jsonl") if l.strip()]
if [r["epoch"] for r in lines] != list(range(1, int(sys.argv[2]) + 1)):
    sys.exit(f"gpu_check: {sys.argv[1]}: epochs {[r['epoch'] for r in lines]}")
print(f"{lines[-1]['samples_per_s']:.0f}")
EOF
}

train() {  # train KIND DEVICE EPOCHS OUT [extra...]
  local kind=$1 dev=$2 epochs=$3 out=$4
  shift 4
  aeviewer train --data "$data" --model "$kind" --device "$dev" --epochs "$epochs" \
    --no-early-stopping --batch-size 256 --quiet --out "$out" "$@" >/dev/null \
    || fail "$kind on $dev did not train"
}

printf '%-6s %14s %14s %8s\n' model "$device samples/s" "cpu samples/s" ratio
for kind in ae conv vae gan; do
  train "$kind" "$device" 2 "$work/$kind-check"
  fast=$(rate "$work/$kind-check" 2) || fail "$kind on $device"
  OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)} train "$kind" cpu 1 "$work/$kind-reference"
  slow=$(rate "$work/$kind-reference" 1) || fail "$kind on cpu"
  printf '%-6s %14s %14s %8s\n' "$kind" "$fast" "$slow" \
    "$(python -c "print(f'{$fast / max($slow, 1):.1f}')")"
done

# Streamed from disk: batches through the DataLoader into pinned memory, copied without blocking.
python - "$work/data.npy" "$data" <<'EOF' || fail "writing the streamed data"
import sys
import numpy as np
from aeviewer.data.sources import load_source
x = load_source(sys.argv[2]).x
np.save(sys.argv[1], np.ascontiguousarray(x, np.float32).reshape(len(x), -1))
EOF
aeviewer train --data "$work/data.npy" --data-streamed --model ae --device "$device" --epochs 2 \
  --no-early-stopping --batch-size 256 --quiet --out "$work/streamed" >/dev/null \
  || fail "the streamed run did not train"
streamed=$(rate "$work/streamed" 2) || fail "the streamed run's metrics"
echo "streamed .npy (DataLoader, pinned memory on $device): $streamed samples/s"

python -m torch.distributed.run --standalone --nproc-per-node=1 -m aeviewer train \
  --data "$data" --model ae --device "$device" --epochs 2 --no-early-stopping --batch-size 256 \
  --quiet --out "$work/ddp" >/dev/null || fail "the 1-GPU torchrun run did not train"
ddp=$(rate "$work/ddp" 2) || fail "the torchrun run's metrics"
echo "torchrun (1 process, DDP on $device): $ddp samples/s"
echo "gpu_check: OK in ${SECONDS}s"
