-- Tether data dump (data only; the schema comes from the migrations)
-- schema-version: 2026.12.04.0200
-- tether-version: 0.1.0-SNAPSHOT
-- recordings: included
SET client_encoding = 'UTF8';

COPY "audit_events" ("id", "at", "actor", "actor_id", "action", "outcome", "subject", "device_id", "address", "detail") FROM stdin;
1	2026-12-04 13:23:06.551091+00	admin	1	auth.login	ok	admin	\N	127.0.0.1	\N
2	2026-12-04 13:23:07.180654+00	admin	1	user.create	ok	user-47eceb9d	\N	127.0.0.1	\N
3	2026-12-04 13:23:07.36835+00	admin	1	group.create	ok	group-e54a8151	\N	127.0.0.1	\N
4	2026-12-04 13:23:07.710452+00	admin	1	grant.create	ok	user-47eceb9d	\N	127.0.0.1	operator on group-e54a8151
5	2026-12-04 13:23:07.920511+00	admin	1	group.change	ok	group-e54a8151	\N	127.0.0.1	recording output -> all
6	2026-12-04 13:23:08.213052+00	user-47eceb9d	2	auth.login	ok	user-47eceb9d	\N	127.0.0.1	\N
7	2026-12-04 13:23:08.278115+00	user-47eceb9d	2	token.create	ok	it-4c0a3858	\N	127.0.0.1	token 1
8	2026-12-04 13:23:08.863617+00	admin	1	device.create	ok	dev-6cc6d2d2	1	127.0.0.1	\N
9	2026-12-04 13:23:13.285346+00	device:dev-6cc6d2d2	\N	tunnel.connect	ok	dev-6cc6d2d2	1	127.0.0.1	agent 0.1.0, instance 8b5f01ae-38cb-482e-8888-a4084233a634
10	2026-12-04 13:23:13.699593+00	user-47eceb9d	2	auth.login	ok	user-47eceb9d	\N	127.0.0.1	\N
11	2026-12-04 13:23:14.143375+00	user-47eceb9d	2	session.join	ok	dev-6cc6d2d2/echo	1	127.0.0.1	controller
12	2026-12-04 13:23:15.799631+00	admin	1	auth.login	ok	admin	\N	127.0.0.1	\N
\.

COPY "device_groups" ("id", "name", "created_at", "recording", "retention_days", "allow_unrecorded") FROM stdin;
1	default	2026-12-04 13:22:47.124271+00	output	\N	f
2	group-e54a8151	2026-12-04 13:23:07.356411+00	all	\N	f
\.

COPY "devices" ("id", "name", "description", "group_id", "tags", "mode", "online", "node_id", "connection_gen", "last_seen", "remote_address", "agent_version", "agent_instance", "targets", "created_at", "deleted_at", "duplicate_seen_at", "duplicate_detail", "encoding", "ingress_port", "allow_cidrs", "connect_secret_hash", "connect_secret_length") FROM stdin;
1	dev-6cc6d2d2	made by a tunnel IT	2	{}	agent	t	bf11f08b-40d7-44e0-8642-aabbff1bba9f	1796390574194001	2026-12-04 13:23:18.002112+00	127.0.0.1	0.1.0	8b5f01ae-38cb-482e-8888-a4084233a634	[{"kind": "tcp", "name": "echo", "status": "ok", "description": "tcp 127.0.0.1:33623"}]	2026-12-04 13:23:08.379083+00	\N	\N	\N	utf-8	\N	{}	\N	\N
\.

COPY "device_credentials" ("id", "device_id", "lookup_id", "secret_hash", "created_at", "revoked_at") FROM stdin;
1	1	52dfdd35f3ec	\\x15f6c62ffa923b3fcb908178fa3ff2b13410782bc81f8131698e04477070b964	2026-12-04 13:23:08.719128+00	\N
\.

COPY "device_links" ("id", "device_id", "target", "port", "allow_cidrs", "take_over", "created_at") FROM stdin;
\.

COPY "sessions" ("id", "device_id", "target", "state", "node_id", "started_at", "ended_at", "close_reason", "bytes_in", "bytes_out", "recording", "recording_bytes", "recording_gaps", "kind", "channels") FROM stdin;
1	1	echo	ended	bf11f08b-40d7-44e0-8642-aabbff1bba9f	2026-12-04 13:23:14.066179+00	2026-12-04 13:23:14.649774+00	closed-by-user	35	35	all	70	0	terminal	0
\.

COPY "recording_chunks" ("session_id", "seq", "first_micros", "data") FROM stdin;
1	1	519322	\\x029ad91f237479706564206265666f726520746865206261636b75703a20c3a9c3a820e29c930d0a019bbe20237479706564206265666f726520746865206261636b75703a20c3a9c3a820e29c930d0a
\.

COPY "session_participants" ("session_id", "seq", "user_id", "username", "role", "via", "joined_at", "left_at") FROM stdin;
1	1	2	user-47eceb9d	controller	browser	2026-12-04 13:23:14.118972+00	2026-12-04 13:23:14.647505+00
\.

COPY "users" ("id", "username", "password_hash", "admin", "disabled", "created_at", "password_changed_at") FROM stdin;
1	admin	$2a$10$fBcTGQubBiuqgNkCbwaiDeJaPqTnACNeqz7uZERc06qIm5yN0MyMW	t	f	2026-12-04 13:22:56.35141+00	2026-12-04 13:22:56.351431+00
2	user-47eceb9d	$2a$10$dGel3XZED5E6GyAomEQAWu1ENMMq00bWryE5UDr.DmzqiRh6b0C.m	f	f	2026-12-04 13:23:06.84895+00	2026-12-04 13:23:06.848959+00
\.

COPY "api_tokens" ("id", "user_id", "name", "lookup_id", "secret_hash", "created_at", "expires_at", "revoked_at", "last_used_at") FROM stdin;
1	2	it-4c0a3858	bf2a2c23ca97	\\x428d9dfb211e3bf608644033d6281db0db6a772cb913b6a93e1df7a4a6f1c7a9	2026-12-04 13:23:08.26851+00	\N	\N	\N
\.

COPY "grants" ("id", "user_id", "group_id", "role", "created_at", "replay") FROM stdin;
1	2	2	operator	2026-12-04 13:23:07.703268+00	f
\.

COPY "web_sessions" ("id", "user_id", "id_hash", "csrf_token", "address", "created_at", "last_seen_at", "expires_at", "revoked_at") FROM stdin;
1	1	\\xf50e23d4fd98e663d385c385bc7f42eaa7b8bce889e46221e74d948b49297a05	Mh67qz-2Yr--UC8kFUarDhJfmyH2tfLym47NQXuuQK4	127.0.0.1	2026-12-04 13:23:06.492964+00	2026-12-04 13:23:06.492976+00	2026-12-05 01:23:06.493586+00	\N
2	2	\\x28aeaa043286c86cd523e727898eecb798566fe53b85280b96379fe10d2efdc4	CQtN2LFh-hCKnXVs8soSFHFqPJbacqxc85SYnzlQJ_Y	127.0.0.1	2026-12-04 13:23:08.192498+00	2026-12-04 13:23:08.192511+00	2026-12-05 01:23:08.192687+00	\N
3	2	\\x160488c23eade855b7a2a125da6743ded75f943a2fd801a850568e10a4a8fa19	JygeJsdKW9pn3HUftUWsz6bES_md6pugXZmAZuk73k0	127.0.0.1	2026-12-04 13:23:13.668613+00	2026-12-04 13:23:13.668625+00	2026-12-05 01:23:13.683474+00	\N
4	1	\\xefe4de27c04271453b3e1f72df9d33741569ff8a89cb1d030d6335c94334a047	-EZ7muqOxSz_LVjfmF9xFcWuDvZNGqlGyWHL9hgD19k	127.0.0.1	2026-12-04 13:23:15.748207+00	2026-12-04 13:23:15.748219+00	2026-12-05 01:23:15.748425+00	\N
\.
