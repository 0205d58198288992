#!/usr/bin/env bash
# The distillation recipe as one short session on a borrowed GPU (it also runs on a CPU, slowly):
#   1. fine-tune six 6-layer teachers from all-MiniLM-L6-v2 (four seeds plain, two with R-Drop) in parallel;
#   2. label train.txt and 4 perturbed copies of it with the teachers' mean logits (distill.py --label-only);
#   3. distil eight 3-layer students from the best teacher's layers 0,2,4 in parallel, with the feed-forward blocks
#      pruned to 1536 (none), 1024, 896 or 768 neurons, several seeds;
#   4. pack the best student of each pruned size (carry.py pack: fp32 minus the frozen word embeddings) and the logs.
# Budgets are time-based (train.py/distill.py --max-minutes), so the schedule adapts to the machine; every run's
# steps, val points and wall time land in the logs.
#
# usage: models/training/gpu_sweep.sh CARRY_DIR OUT_DIR
#   CARRY_DIR holds backbone/ (carry.py backbone --out) and data/{train,val}.txt
#   env: DEVICE (cuda), PYTHON (python3), TEACHER_MIN (1.8), STUDENT_MIN (2.7), RUNS (models/training/runs/gpu),
#        CAP_MARGIN_S (75: seconds a stage may run past its budget, start-up included, before it is cut)
set -uo pipefail
carry=${1:?usage: gpu_sweep.sh CARRY_DIR OUT_DIR} out=${2:?usage: gpu_sweep.sh CARRY_DIR OUT_DIR}
py=${PYTHON:-python3} dev=${DEVICE:-cuda}
teacher_min=${TEACHER_MIN:-1.8} student_min=${STUDENT_MIN:-2.7}
here=$(cd "$(dirname "$0")" && pwd)
runs=${RUNS:-$here/runs/gpu}
log=$runs/attempts.jsonl
mkdir -p "$runs" "$out"
export HF_HUB_OFFLINE=1 PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false
stamp() { echo "[$(date -u +%H:%M:%S)] $*"; }
# A stage may overrun its budget by start-up and evaluation; past this it is cut so the packing still happens.
cap_margin=${CAP_MARGIN_S:-75}
cap() { timeout --signal=TERM "$(awk -v m="$1" -v s="$cap_margin" 'BEGIN { printf "%d", m * 60 + s }')" "${@:2}"; }

stamp "device: $($py -c 'import torch; print(torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu")')"

stamp "1. teachers (budget ${teacher_min} min each, in parallel)"
teacher() {
  local name=$1
  shift
  cap "$teacher_min" "$py" "$here/train.py" --data "$carry/data" --backbone "$carry/backbone" --device "$dev" \
    --threads 2 --epochs 3 --lr 1e-4 --freeze-embeddings --max-length 64 --evals-per-epoch 3 \
    --max-minutes "$teacher_min" --run-dir "$runs/$name" --attempts-log "$log" "$@" >"$runs/$name.log" 2>&1
}
teacher t1 --seed 1 &
teacher t2 --seed 2 &
teacher t3 --seed 3 &
teacher t4 --seed 4 &
teacher t5 --seed 5 --rdrop 0.5 &
teacher t6 --seed 6 --rdrop 0.5 &
wait
"$py" "$here/rank_runs.py" "$runs"/t?
mapfile -t teachers < <("$py" "$here/rank_runs.py" "$runs"/t? --paths)
if [ "${#teachers[@]}" -eq 0 ]; then
  stamp "no teacher finished; see $runs/t*.log"
  tail -n 20 "$runs"/t1.log
  exit 1
fi
teacher_args=()
for t in "${teachers[@]}"; do teacher_args+=(--teacher "$t"); done

common=(--data "$carry/data" "${teacher_args[@]}" --augment 4 --augment-seed 42 --max-length 64 --device "$dev"
  --threads 2 --attempts-log "$log")
stamp "2. labelling with ${#teachers[@]} teachers"
cap 1 "$py" "$here/distill.py" "${common[@]}" --label-only --run-dir "$runs/label" >"$runs/label.log" 2>&1
grep -v "^Warn" "$runs/label.log" | tail -n 12
# The labels, for local reuse: the cache file distill.py named (it may predate this run).
labels=$(sed -n 's/^teacher labels cached in //p' "$runs/label.log")
[ -n "$labels" ] && cp "$labels" "$runs/label/"

stamp "3. students (budget ${student_min} min each, in parallel)"
student() {
  local name=$1
  shift
  cap "$student_min" "$py" "$here/distill.py" "${common[@]}" --student-layers 0,2,4 --epochs 3 --batch-size 64 \
    --lr 2e-4 --evals-per-epoch 4 --max-minutes "$student_min" --run-dir "$runs/$name" "$@" >"$runs/$name.log" 2>&1
}
student s1-full --seed 1 &
student s2-1024 --seed 1 --ffn-size 1024 &
student s3-1024 --seed 2 --ffn-size 1024 &
student s4-1024 --seed 3 --ffn-size 1024 &
student s5-896 --seed 1 --ffn-size 896 &
student s6-896 --seed 2 --ffn-size 896 &
student s7-768 --seed 1 --ffn-size 768 &
student s8-768 --seed 2 --ffn-size 768 &
wait
"$py" "$here/rank_runs.py" "$runs"/s?-*/

stamp "4. packing the best student per pruned size"
"$py" "$here/rank_runs.py" "$runs"/s[2-8]-*/ --paths --per ffn_size --top 3 | while read -r best; do
  [ -n "$best" ] || continue
  name=$(basename "$(dirname "$best")")
  note=$($py -c 'import json,sys; s=json.load(open(sys.argv[1])); print(json.dumps({"run": sys.argv[2], "best": s["best"], "hyperparameters": s["hyperparameters"]}))' \
    "$(dirname "$best")/summary.json" "$name")
  "$py" "$here/carry.py" pack "$best" --out "$out" --name "$name" --note "$note"
done
tar -czf "$out/logs.tar.gz" -C "$runs" --exclude='*/best' --exclude='*/last.pt' --exclude='*/*.safetensors' .
stamp "done: $(ls "$out" | tr '\n' ' ')"
