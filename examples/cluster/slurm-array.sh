#!/usr/bin/env bash
# A sharded `charter revise` as a Slurm array job, merged by a job that waits for every task.
#
#   examples/cluster/slurm-array.sh            # submit: SHARDS array tasks, then the merge job
#   SHARDS=8 RUN=/shared/runs/harmless MODEL=openai:gpt-4o-mini examples/cluster/slurm-array.sh
#
# Each task runs `charter revise --shard auto`: Charter reads its shard from SLURM_ARRAY_TASK_ID,
# _COUNT and _MIN and writes it to its own folder $RUN/shards/<task id> (RUN must be on storage
# every node sees). The merge job starts only when all tasks ended well (--dependency=afterok)
# and writes $RUN/merged, the same files an unsharded run writes. A failed task: run the same
# script's `task` again for it (or `sbatch --array=<id>`); it resumes; then submit `merge`.
# Settings come from the environment (sbatch passes it on to the jobs).
#SBATCH --job-name=charter
#SBATCH --cpus-per-task=1
set -euo pipefail

SHARDS=${SHARDS:-4}
RUN=${RUN:-runs/cluster}
CHARTER=${CHARTER:-charter}
CONSTITUTION=${CONSTITUTION:-constitutions/harmless.charter}
PROMPTS=${PROMPTS:-examples/prompts.jsonl}
MODEL=${MODEL:-offline:rehearsal}
export SHARDS RUN CHARTER CONSTITUTION PROMPTS MODEL

case "${1:-submit}" in
  submit)
    mkdir -p "$RUN/logs" "$RUN/shards"
    array=$(sbatch --parsable --array="0-$((SHARDS - 1))" --chdir="$PWD" \
      --output="$RUN/logs/shard-%a.log" "$0" task)
    array=${array%%;*} # --parsable prints "id" or "id;cluster"
    merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
      --chdir="$PWD" --output="$RUN/logs/merge.log" "$0" merge)
    echo "submitted array job $array ($SHARDS tasks) and merge job ${merge%%;*} -> $RUN/merged"
    ;;
  task)
    # CHARTER may be a command with arguments ("node dist/cli/main.js"): split it on purpose.
    # shellcheck disable=SC2086
    exec $CHARTER revise --constitution "$CONSTITUTION" --prompts "$PROMPTS" --model "$MODEL" \
      --shard auto --out "$RUN/shards/$SLURM_ARRAY_TASK_ID" --quiet
    ;;
  merge)
    # shellcheck disable=SC2086
    exec $CHARTER merge --out "$RUN/merged" "$RUN"/shards/*
    ;;
  *)
    echo "usage: $0 [submit|task|merge]" >&2
    exit 2
    ;;
esac
