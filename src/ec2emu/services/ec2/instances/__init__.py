"""EC2 instances: launch (:mod:`.run`), describe (:mod:`.describe`), state changes
(:mod:`.states`), attributes (:mod:`.attributes`), and what they share (:mod:`.common`)."""
