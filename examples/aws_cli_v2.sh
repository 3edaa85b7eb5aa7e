#!/usr/bin/env bash
# The AWS CLI v2 against ec2emu with --endpoint-url, which every v2 release reads (from 2.13
# on, AWS_ENDPOINT_URL_EC2 alone would do). A failed call prints AWS's message and exits 254.
set -euo pipefail
endpoint="${AWS_ENDPOINT_URL_EC2:-http://127.0.0.1:4747}"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""

image=$(aws ec2 describe-images --endpoint-url "$endpoint" --owners amazon \
  --filters 'Name=name,Values=al2023-ami-2023.*-x86_64' --query 'Images[0].ImageId' --output text)
id=$(aws ec2 run-instances --endpoint-url "$endpoint" --image-id "$image" --instance-type t3.micro \
  --count 1 --disable-api-termination --query 'Instances[0].InstanceId' --output text)
aws ec2 wait instance-running --endpoint-url "$endpoint" --instance-ids "$id"
aws ec2 describe-instances --endpoint-url "$endpoint" --instance-ids "$id" \
  --query 'Reservations[].Instances[].[InstanceId,State.Name,Placement.AvailabilityZone]' --output text

# Termination protection is on: the call fails.
if aws ec2 terminate-instances --endpoint-url "$endpoint" --instance-ids "$id"; then
  exit 1
else
  echo "terminate-instances exited $?"
fi
aws ec2 modify-instance-attribute --endpoint-url "$endpoint" --instance-id "$id" --no-disable-api-termination
aws ec2 terminate-instances --endpoint-url "$endpoint" --instance-ids "$id" \
  --query 'TerminatingInstances[0].CurrentState.Name' --output text
aws ec2 wait instance-terminated --endpoint-url "$endpoint" --instance-ids "$id"
echo "$id terminated"
