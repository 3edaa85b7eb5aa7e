#!/usr/bin/env bash
# The AWS CLI against ec2emu: AWS_ENDPOINT_URL_EC2 sends its EC2 calls to the server.
set -euo pipefail
export AWS_ENDPOINT_URL_EC2="${AWS_ENDPOINT_URL_EC2:-http://127.0.0.1:4747}"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1

image=$(aws ec2 describe-images --owners amazon \
  --filters 'Name=name,Values=al2023-ami-2023.*-x86_64' --query 'Images[0].ImageId' --output text)
id=$(aws ec2 run-instances --image-id "$image" --instance-type t3.micro --count 1 \
  --tag-specifications 'ResourceType=instance,Tags=[{Key=Name,Value=web}]' \
  --query 'Instances[0].InstanceId' --output text)
aws ec2 wait instance-running --instance-ids "$id"
aws ec2 describe-instances --filters Name=tag:Name,Values=web \
  --query 'Reservations[].Instances[].[InstanceId,State.Name]' --output text
aws ec2 terminate-instances --instance-ids "$id" \
  --query 'TerminatingInstances[0].CurrentState.Name' --output text
aws ec2 wait instance-terminated --instance-ids "$id"
echo "$id terminated"
