//! contact.Contact: its typed client against the service over TCP, in
//! process, with the server's push API (`TaskQueue`) driven directly.
//! Every wait is for an event (an answer, a subscriber count), never a sleep.
#![cfg(feature = "demo")] // h2grpc::services exists with the `demo` feature only.

use std::time::Duration;

use crate::support::{within_limit, TestServer};
use futures_core::Stream;
use h2grpc::rpc::{Server, Streaming};
use h2grpc::services::contact::{
    self, push_demo_tasks, status_answer, task_ack, ClientMsg, ContactClient, Empty,
    Result as ResultMsg, ServerMsg, TaskQueue,
};
use h2grpc::Code;
use tokio::sync::mpsc;

async fn contact_server(tasks: &TaskQueue) -> TestServer {
    TestServer::start(Server::builder().add_service(contact::service(tasks.clone()))).await
}

/// A client on a connection of its own.
async fn client_of(server: &TestServer) -> ContactClient {
    ContactClient::new(server.channel().await)
}

/// A request stream fed from a channel, ending when the sender is dropped.
fn fed_stream<T: Send + 'static>() -> (mpsc::Sender<T>, impl Stream<Item = T>) {
    let (tx, rx) = mpsc::channel(1);
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    (tx, stream)
}

async fn subscribe(client: &ContactClient) -> Streaming<ServerMsg> {
    client.get_task(Empty {}).await.unwrap().into_inner()
}

async fn next_task(tasks: &mut Streaming<ServerMsg>) -> String {
    match tasks.message().await {
        Ok(Some(task)) => task.task,
        other => panic!("expected a task, got {other:?}"),
    }
}

#[tokio::test]
async fn send_status_answers_each_status_before_the_next_is_sent() {
    within_limit(async {
        let tasks = TaskQueue::new();
        let server = contact_server(&tasks).await;
        let client = client_of(&server).await;
        let (statuses, requests) = fed_stream();
        statuses
            .send(ClientMsg {
                msg: "online".into(),
            })
            .await
            .unwrap();
        let mut answers = client.send_status(requests).await.unwrap().into_inner();
        // Each answer is awaited before the next status exists: a server that
        // waited for more statuses, or for the end, would never answer.
        for (i, msg) in ["online", "busy", "数据:7", ""].into_iter().enumerate() {
            if i > 0 {
                statuses.send(ClientMsg { msg: msg.into() }).await.unwrap();
            }
            let answer = answers.message().await.unwrap();
            assert_eq!(answer, Some(status_answer(msg)));
        }
        assert_eq!(
            status_answer("online").ret,
            "Server received the message: online"
        );
        drop(statuses);
        assert_eq!(
            answers.message().await.unwrap(),
            None,
            "then the stream ends OK"
        );
    })
    .await;
}

#[tokio::test]
async fn send_status_with_no_statuses_ends_ok_with_no_answers() {
    within_limit(async {
        let tasks = TaskQueue::new();
        let server = contact_server(&tasks).await;
        let client = client_of(&server).await;
        let none = futures_util::stream::empty::<ClientMsg>();
        let mut answers = client.send_status(none).await.unwrap().into_inner();
        assert_eq!(answers.message().await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn every_subscriber_gets_every_task_pushed_after_it_subscribed_in_order() {
    within_limit(async {
        let tasks = TaskQueue::new();
        let server = contact_server(&tasks).await;
        assert_eq!(tasks.push("before anyone listened"), 0);
        let (first_client, second_client) = (client_of(&server).await, client_of(&server).await);
        let mut first = subscribe(&first_client).await;
        let mut second = subscribe(&second_client).await;
        tasks.wait_for_subscribers(2).await;
        for number in 1..=5 {
            assert_eq!(tasks.push(format!("task {number}")), 2);
        }
        for subscriber in [&mut first, &mut second] {
            for number in 1..=5 {
                assert_eq!(next_task(subscriber).await, format!("task {number}"));
            }
        }
    })
    .await;
}

#[tokio::test]
async fn a_subscriber_that_cancels_is_unsubscribed() {
    within_limit(async {
        let tasks = TaskQueue::new();
        let server = contact_server(&tasks).await;
        let client = client_of(&server).await;
        let staying = subscribe(&client).await;
        let leaving = subscribe(&client).await;
        tasks.wait_for_subscribers(2).await;
        // Dropping the response stream resets the call (RST_STREAM CANCEL)
        // while the connection stays up.
        drop(leaving);
        tasks.wait_for_subscribers(1).await;
        assert_eq!(tasks.push("after the cancel"), 1);
        drop(staying);
        tasks.wait_for_subscribers(0).await;
        assert_eq!(tasks.push("after both left"), 0);
    })
    .await;
}

#[tokio::test]
async fn a_subscriber_whose_connection_drops_is_unsubscribed() {
    within_limit(async {
        let tasks = TaskQueue::new();
        let server = contact_server(&tasks).await;
        let uri = server.uri();
        let (go, gone) = std::sync::mpsc::channel::<()>();
        // The client lives on a runtime of its own, on its own thread; when
        // that runtime is dropped its connection task goes with it, so the
        // server sees the TCP connection close with no RST_STREAM first, as
        // when a client process dies.
        let client_thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let subscription = runtime.block_on(async {
                let channel = h2grpc::transport::Channel::connect(&uri).await.unwrap();
                subscribe(&ContactClient::new(channel)).await
            });
            // Held until the server has been seen counting this subscriber.
            let _ = gone.recv();
            drop(runtime);
            drop(subscription);
        });
        tasks.wait_for_subscribers(1).await;
        go.send(()).unwrap();
        tasks.wait_for_subscribers(0).await;
        tokio::task::spawn_blocking(move || client_thread.join())
            .await
            .unwrap()
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_slow_subscriber_ends_with_resource_exhausted_and_holds_back_no_one() {
    within_limit(async {
        // Tasks far larger in all than the 1 MiB HTTP/2 window the slow
        // subscriber never opens, and a backlog of 4.
        const TASKS: usize = 200;
        const TASK_SIZE: usize = 32 * 1024;
        let tasks = TaskQueue::with_backlog(4);
        let server = contact_server(&tasks).await;
        let (slow_client, fast_client) = (client_of(&server).await, client_of(&server).await);
        let mut slow = subscribe(&slow_client).await;
        let mut fast = subscribe(&fast_client).await;
        tasks.wait_for_subscribers(2).await;
        let task = |number: usize| format!("task {number} {}", "x".repeat(TASK_SIZE));
        for number in 0..TASKS {
            tasks.push(task(number));
            // The fast subscriber gets each task while the slow one reads nothing.
            assert!(
                next_task(&mut fast).await == task(number),
                "fast task {number}"
            );
        }
        // The slow subscriber's stream: the tasks before the gap, in order,
        // then RESOURCE_EXHAUSTED, never a skipped task.
        let mut delivered = 0;
        let status = loop {
            match slow.message().await {
                Ok(Some(got)) => {
                    assert!(got.task == task(delivered), "slow task {delivered}");
                    delivered += 1;
                }
                Ok(None) => panic!("the slow stream ended OK after {delivered} tasks"),
                Err(status) => break status,
            }
        };
        assert!(delivered < TASKS, "the slow subscriber got every task");
        assert_eq!(status.code(), Code::ResourceExhausted, "{status}");
        assert!(status.message().contains("fell behind"), "{status}");
        tasks.wait_for_subscribers(1).await;
        tasks.push("still flowing");
        assert_eq!(next_task(&mut fast).await, "still flowing");
    })
    .await;
}

#[tokio::test]
async fn tell_result_records_each_acknowledgement_and_answers_empty() {
    within_limit(async {
        let tasks = TaskQueue::new();
        let server = contact_server(&tasks).await;
        let client = client_of(&server).await;
        let acks: Vec<ResultMsg> = ["task 1", "task 2", "task 3"]
            .into_iter()
            .map(task_ack)
            .collect();
        let reply = client
            .tell_result(futures_util::stream::iter(acks.clone()))
            .await
            .unwrap();
        assert_eq!(reply.into_inner(), Empty {});
        let recorded: Vec<String> = acks.into_iter().map(|ack| ack.ret).collect();
        assert_eq!(tasks.acks().recent(), recorded);
        assert_eq!(recorded[0], "Client received the task: task 1");
        assert_eq!(tasks.acks().total(), 3);
    })
    .await;
}

#[tokio::test]
async fn tell_result_with_no_acknowledgements_answers_empty() {
    within_limit(async {
        let tasks = TaskQueue::new();
        let server = contact_server(&tasks).await;
        let client = client_of(&server).await;
        let none = futures_util::stream::empty::<ResultMsg>();
        assert_eq!(
            client.tell_result(none).await.unwrap().into_inner(),
            Empty {}
        );
        assert_eq!(tasks.acks().total(), 0);
    })
    .await;
}

#[tokio::test]
async fn the_demo_pusher_numbers_its_tasks_from_one() {
    within_limit(async {
        let tasks = TaskQueue::new();
        let server = contact_server(&tasks).await;
        let client = client_of(&server).await;
        let mut subscription = subscribe(&client).await;
        tasks.wait_for_subscribers(1).await;
        let pusher = tokio::spawn(push_demo_tasks(tasks.clone(), Duration::from_millis(10)));
        for number in 1..=3 {
            assert_eq!(next_task(&mut subscription).await, format!("task {number}"));
        }
        pusher.abort();
    })
    .await;
}
