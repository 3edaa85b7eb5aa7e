// The reference page's example with the AWS SDK for Go v2: A and B in us-east-1a,
// C (termination-protected) and D in us-east-1b, all in one security group with one
// key pair. Terminating all four terminates A and B, leaves C and D running, and
// reports OperationNotPermitted. This SDK release reads no endpoint variable of its
// own: the program takes AWS_ENDPOINT_URL_EC2 (else AWS_ENDPOINT_URL) and passes it on.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"runtime"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

func endpoint() string {
	for _, name := range []string{"AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL"} {
		if url := os.Getenv(name); url != "" {
			return url
		}
	}
	return "http://127.0.0.1:4747"
}

func main() {
	ctx := context.Background()
	fmt.Printf("aws-sdk-go-v2/%s %s\n", aws.SDKVersion, runtime.Version())
	client := ec2.New(ec2.Options{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		EndpointResolver: ec2.EndpointResolverFromURL(endpoint()),
	})

	images, err := client.DescribeImages(ctx, &ec2.DescribeImagesInput{
		Owners:  []string{"amazon"},
		Filters: []types.Filter{{Name: aws.String("name"), Values: []string{"al2023-ami-2023.*-x86_64"}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	image := images.Images[0].ImageId

	name := fmt.Sprintf("abcd-%d", time.Now().Unix()) // a new group and key pair at each run
	group, err := client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
		GroupName: aws.String(name), Description: aws.String("A, B, C and D"),
	})
	if err != nil {
		log.Fatal(err)
	}
	key, err := client.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String(name)})
	if err != nil {
		log.Fatal(err)
	}

	launch := func(zone string, protected bool) string {
		out, err := client.RunInstances(ctx, &ec2.RunInstancesInput{
			ImageId:               image,
			InstanceType:          types.InstanceTypeT3Micro,
			MinCount:              aws.Int32(1),
			MaxCount:              aws.Int32(1),
			Placement:             &types.Placement{AvailabilityZone: aws.String(zone)},
			DisableApiTermination: aws.Bool(protected),
			SecurityGroupIds:      []string{*group.GroupId},
			KeyName:               key.KeyName,
		})
		if err != nil {
			log.Fatal(err)
		}
		return *out.Instances[0].InstanceId
	}
	ids := map[string]string{
		"A": launch("us-east-1a", false),
		"B": launch("us-east-1a", false),
		"C": launch("us-east-1b", true),
		"D": launch("us-east-1b", false),
	}
	all := []string{ids["A"], ids["B"], ids["C"], ids["D"]}

	running := ec2.NewInstanceRunningWaiter(client, func(o *ec2.InstanceRunningWaiterOptions) {
		o.MinDelay, o.MaxDelay = 250*time.Millisecond, time.Second
	})
	launched, err := running.WaitForOutput(ctx, &ec2.DescribeInstancesInput{InstanceIds: all}, time.Minute)
	if err != nil {
		log.Fatal(err)
	}
	for _, reservation := range launched.Reservations {
		for _, instance := range reservation.Instances {
			fmt.Println("launched", *instance.InstanceId, "in", *instance.SecurityGroups[0].GroupId,
				"with key", *instance.KeyName)
		}
	}

	_, err = client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: all})
	var apiErr smithy.APIError
	var httpErr *awshttp.ResponseError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "OperationNotPermitted" || !errors.As(err, &httpErr) {
		log.Fatalf("expected OperationNotPermitted, got %v", err)
	}
	fmt.Printf("TerminateInstances: %s (HTTP %d): %s\n", apiErr.ErrorCode(), httpErr.HTTPStatusCode(),
		apiErr.ErrorMessage())

	terminated := ec2.NewInstanceTerminatedWaiter(client, func(o *ec2.InstanceTerminatedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 250*time.Millisecond, time.Second
	})
	err = terminated.Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{ids["A"], ids["B"]}}, time.Minute)
	if err != nil {
		log.Fatal(err)
	}

	described, err := client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: all})
	if err != nil {
		log.Fatal(err)
	}
	state := map[string]types.InstanceStateName{}
	for _, reservation := range described.Reservations {
		for _, instance := range reservation.Instances {
			state[*instance.InstanceId] = instance.State.Name
		}
	}
	for _, name := range []string{"A", "B", "C", "D"} {
		fmt.Println(name, ids[name], state[ids[name]])
	}
}
