#!/usr/bin/env bash
# The Java drawing path against its PyTorch-eager peer (bench/dit_peer.py, the same model with the shipped weights),
# interleaved in one session: ROUNDS rounds of `bench-diffusion` then the peer's `pipeline`, and the medians over the
# rounds of seconds per image at 1 and at 16 images, with Java / peer. Each side prints its own runs too.
#   bench/side-by-side.sh [ROUNDS] [THREADS]        defaults 3 and 2 (use 1 thread each when another job runs)
#   PEER_PYTHON=/path/to/venv/bin/python bench/side-by-side.sh   a PyTorch 2.x wheel (MKL) instead of Debian's torch
#   JAVA_ARGS="--warmup 10 --repeats 5"               passed to bench-diffusion; PEER_ARGS="--repeats 5" to the peer
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
threads=${2:-2}
peer_python=${PEER_PYTHON:-/usr/bin/python3}
out=out/side-by-side
mkdir -p "$out"
./thinkdiff --help >/dev/null 2>&1 || true # builds the job first (when its sources changed), outside the timing

for round in $(seq 1 "$rounds"); do
  OMP_NUM_THREADS=$threads ./thinkdiff -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
      bench-diffusion --batch 16 ${JAVA_ARGS:-} | tee "$out/java-$round.txt" | grep "^1 image"
  # Debian's OpenBLAS in its OpenMP build: the pthread one fights torch's pool (see bench/dit_peer.py)
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS=$threads \
      "$peer_python" bench/dit_peer.py pipeline --batch 1 16 --threads "$threads" --params ${PEER_ARGS:-} \
      | tee "$out/peer-$round.txt" | grep '"pipeline"' | cut -c1-110
done

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
java1=$(sed -n 's/^1 image: \([0-9.]*\) s.*/\1/p' "$out"/java-*.txt | median)
java16=$(sed -n 's/.*batch of 16: \([0-9.]*\) s per image.*/\1/p' "$out"/java-*.txt | median)
peer1=$(grep -h '"batch": 1,' "$out"/peer-*.txt | sed 's/.*"s_per_image": \([0-9.e-]*\).*/\1/' | median)
peer16=$(grep -h '"batch": 16,' "$out"/peer-*.txt | sed 's/.*"s_per_image": \([0-9.e-]*\).*/\1/' | median)
floor=$(sed -n 's/.*FLOP floor \([0-9.]*\) s per image.*/\1/p' "$out"/java-*.txt | median)
printf 'medians of %d interleaved rounds, %d threads, peer %s; seconds per image:\n' "$rounds" "$threads" \
    "$(grep -ho '"torch": "[^"]*"' "$out/peer-1.txt" | head -1)"
awk -v j1="$java1" -v j16="$java16" -v p1="$peer1" -v p16="$peer16" -v f="$floor" 'BEGIN {
  printf "  1 image:     Java %.3f  peer %.3f  Java/peer %.2f  Java/floor %.1f\n", j1, p1, j1 / p1, j1 / f
  printf "  batch of 16: Java %.3f  peer %.3f  Java/peer %.2f  Java/floor %.1f\n", j16, p16, j16 / p16, j16 / f
  printf "  FLOP floor %.4f s per image (bench-diffusion: FLOPs per image / the engine fp32 matmul peak)\n", f }'
