"""Images (AMIs): a built-in catalogue of public images, images that accounts register
themselves, and DescribeImages / RegisterImage / DeregisterImage / CreateImage: the
catalogue (:mod:`.catalogue`), what the calls share (:mod:`.common`), and a module per
call family (:mod:`.describe`, :mod:`.register`, :mod:`.create`); sharing
(:mod:`.attributes`, :mod:`.public_access`), copying (:mod:`.copy`) and deprecation
(:mod:`.deprecation`) have theirs, with their errors in :mod:`.errors`.

The catalogue is the same in every region but each region has its own image IDs and
root snapshot IDs (stable hashes of region and name), as on EC2. It holds EBS-backed
images (Amazon Linux 2023 and 2, Ubuntu, Debian, Windows) owned by their real
publishers' accounts, and an instance-store-backed Amazon Linux image. Registered images
are stored in the ``images`` table, private to the registering account in that region
until it grants launch permissions to other accounts or to ``all`` (ModifyImageAttribute):
a grantee then sees the image (DescribeImages), launches it (RunInstances reads the
owner's snapshots behind it) and copies it, until the permission is removed.

RegisterImage, as EC2 documents it:

* ``Name`` is required, 3–128 characters of letters, digits and ``( ) [ ] . / - ' @ _``
  and space (else ``InvalidAMIName.Malformed``, with EC2's message), and unique per
  account and region (else ``InvalidAMIName.Duplicate`` "AMI name X is already in use by
  AMI ami-…").
* A root device (``RootDeviceName``, default ``/dev/sda1``) mapped to an EBS snapshot
  gives an EBS-backed image. The snapshots that exist are the account's own snapshots
  in the region (CreateSnapshot, CreateImage) and the catalogue's root snapshots; any
  other well-formed ID answers ``InvalidSnapshot.NotFound`` "The snapshot 'snap-…' does
  not exist.", a malformed one ``InvalidSnapshotID.Malformed``. A volume may not be
  smaller than its snapshot. The image records the stored snapshots it uses (they then
  cannot be deleted) and is ``pending`` until every one of them has completed.
* Otherwise ``ImageLocation`` (an S3 manifest path) gives an instance-store-backed image
  whose mappings may name ephemeral devices. With neither, the call answers
  ``InvalidBlockDeviceMapping`` (our wording; EC2's exact text is not on record).
* Defaults from the API reference: ``Architecture`` i386 for EBS-backed images (an
  instance-store image's comes from its manifest, which we cannot read: x86_64),
  ``VirtualizationType`` paravirtual, ``EnaSupport`` false, EBS volume type gp2,
  ``DeleteOnTermination`` true. ``TagSpecifications`` may tag the ``image``.
  ``BootMode``, ``TpmSupport``, ``UefiData``, ``ImdsSupport`` and ``SriovNetSupport`` are
  recorded as given (DescribeImages and DescribeImageAttribute show them); ``KernelId``,
  ``RamdiskId`` and ``BillingProducts`` are refused by name (no kernel, RAM disk or
  billing product exists here).

CreateImage (EBS-backed instances only, ``running`` or ``stopped``): one snapshot per
attached EBS volume (``pending``, then ``completed`` on the clock) and an image whose
mappings mirror the instance's volumes (size, type, IOPS, throughput, encryption and
each volume's current DeleteOnTermination) and its instance-store and NoDevice launch
mappings, with the request's ``BlockDeviceMappings`` applied on top (``NoDevice`` leaves
a volume out, ``VirtualName`` adds an instance-store device, ``Ebs`` changes a volume's
size — never below its snapshot's — type or DeleteOnTermination, or adds an empty volume).
The image is ``pending`` until its snapshots complete; launching it before answers
``InvalidAMIID.Unavailable``. ``TagSpecifications`` may tag the ``image`` and the
``snapshot``s. ``NoReboot`` is accepted (the emulated guest has nothing to flush);
``SnapshotLocation`` (Local Zones only) is refused by name. An
instance-store-backed instance answers ``InvalidParameterValue`` and an instance in
another state ``IncorrectInstanceState`` (our wording for both).

DeregisterImage: the caller's own image is removed with its tags and launch permissions
(instances launched from it keep running; it can no longer be described or launched).
Its snapshots stay, unless ``DeleteAssociatedSnapshots`` is true: then each stored snapshot
of the caller's it used is deleted (``success`` in ``DeleteSnapshotResults``) unless
another image uses it too (``skipped``); a catalogue snapshot is not the caller's to
delete and is not listed. An image the caller
does not own — a catalogue image, or another account's image in the region — answers
``AuthFailure`` "Not authorized for image:ami-…" with HTTP 400: that is the text EC2
returned to non-owners (cloudcaptainsh/cloudcaptain#66, DeregisterImage; the same
wording for DescribeImageAttribute), and 400 is the status an EC2-compatible cloud's
conformance suite asserts for it. An ID that is nowhere in the region answers
``InvalidAMIID.NotFound``.

Domain shape (what :func:`find_image` returns and RunInstances uses): ``image_id``,
``name``, ``owner_id``, ``owner_alias``, ``architecture``, ``root_device_type``,
``root_device_name``, ``virtualization_type``, ``platform``, ``description``,
``image_location``, ``ena_support``, ``state``, ``public``, ``creation_date`` (ISO text),
``boot_mode``, ``imds_support``, ``tpm_support``, ``uefi_data``, ``grantees`` (its
launch permissions: account IDs, ``all``), ``deprecation_time`` (epoch seconds or
``None``), ``source_image_id``, ``source_image_region`` and ``block_device_mappings`` (``[{"device_name", "ebs":
{"snapshot_id", "volume_size", "volume_type", "delete_on_termination", "encrypted"[,
"iops"]}} | {"device_name", "virtual_name"} | {"device_name", "no_device": True}]``).
"""
