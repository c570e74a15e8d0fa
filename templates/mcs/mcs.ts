// The mcs thread, the only one that starts with a scheduling context of its own. It configures
// another scheduling context, sched_context, and lends it in turn to the spinner, the sender and
// the echo server, changing its parameters as it goes; at the end it waits for the spinner's
// timeout fault.
import {
  printf, ZF_LOGF_IF, US_IN_S, seL4_NoError, seL4_Yield, seL4_Wait, seL4_Recv, seL4_Call, seL4_GetMR,
  seL4_SetMR, seL4_MessageInfo_new, seL4_MsgMaxLength, seL4_SchedControl_Configure, seL4_SchedContext_Bind,
  seL4_SchedContext_Unbind, seL4_SchedContext_UnbindObject, seL4_TCB_Suspend, seL4_TCB_SetPriority,
  seL4_TCB_SetTimeoutEndpoint, seL4_getArchFault, seL4_Fault_get_seL4_FaultType, seL4_Fault_Timeout,
  seL4_Fault_Timeout_get_data,
} from "sel4";
import { sched_context, sched_control, server_tcb, spinner_tcb, sender_tcb, endpoint, reply } from "./cspace_mcs";

export function main(): number {
  let error: number;

  // configure sched_context: round robin, a budget of 1 s every 1 s
  error = seL4_SchedControl_Configure(sched_control, sched_context, US_IN_S, US_IN_S, 0, 0);
  ZF_LOGF_IF(error !== seL4_NoError, "Failed to configure schedcontext");
  // bind it to the spinner, which can now run
  error = seL4_SchedContext_Bind(sched_context, spinner_tcb);
  ZF_LOGF_IF(error !== seL4_NoError, "Failed to bind sched_context to spinner_tcb");

  for (let i = 0; i < 9; i++) {
    seL4_Yield();
    printf("Tick %d\n", i);
  }

  //@task mcs-periodic always
  //@before
  // TODO mcs-periodic: reconfigure sched_context to be periodic, a budget of 0.9 s every 1 s.
  //@completed
  // reconfigure sched_context to be periodic
  error = seL4_SchedControl_Configure(sched_control, sched_context, 0.9 * US_IN_S, 1 * US_IN_S, 0, 0);
  ZF_LOGF_IF(error !== seL4_NoError, "Failed to configure schedcontext");
  //@end

  //@task mcs-unbind always
  //@before
  // TODO mcs-unbind: unbind sched_context to stop the yielding thread.
  //@completed
  // unbind sched_context to stop the yielding thread
  error = seL4_SchedContext_Unbind(sched_context);
  ZF_LOGF_IF(error !== seL4_NoError, "Failed to unbind sched_context");
  //@end

  //@task mcs-bind always
  //@before
  // TODO mcs-bind: bind sched_context to sender_tcb.
  //@completed
  // bind sched_context to sender_tcb
  error = seL4_SchedContext_Bind(sched_context, sender_tcb);
  ZF_LOGF_IF(error !== seL4_NoError, "Failed to bind schedcontext");
  //@end

  //@task mcs-sporadic always
  //@before
  // TODO mcs-sporadic: reconfigure sched_context to be periodic with 6 extra refills.
  //@completed
  // reconfigure sched_context to be periodic with 6 extra refills
  error = seL4_SchedControl_Configure(sched_control, sched_context, 0.9 * US_IN_S, 1 * US_IN_S, 6, 0);
  ZF_LOGF_IF(error !== seL4_NoError, "Failed to configure schedcontext");
  //@end

  for (let i = 0; i < 9; i++) {
    seL4_Wait(endpoint);
    printf("Tock %d\n", seL4_GetMR(0));
  }

  error = seL4_SchedContext_UnbindObject(sched_context, sender_tcb);
  ZF_LOGF_IF(error !== seL4_NoError, "Failed to unbind sched_context from sender_tcb");

  // suspend the sender to get it off the endpoint
  error = seL4_TCB_Suspend(sender_tcb);
  ZF_LOGF_IF(error !== seL4_NoError, "Failed to suspend sender_tcb");

  error = seL4_TCB_SetPriority(server_tcb, server_tcb, 253);
  ZF_LOGF_IF(error !== seL4_NoError, "Failed to decrease server's priority");
  printf("Starting server\n");

  //@task mcs-server always
  //@before
  // TODO mcs-server: bind sched_context to server_tcb.
  //@completed
  // bind the server's sched context
  error = seL4_SchedContext_Bind(sched_context, server_tcb);
  ZF_LOGF_IF(error !== seL4_NoError, "Failed to bind sched_context to server_tcb");
  //@end

  // wait for it to initialise
  printf("Wait for server\n");
  seL4_Wait(endpoint);

  // convert it to passive
  error = seL4_SchedContext_Unbind(sched_context);
  ZF_LOGF_IF(error !== seL4_NoError, "Failed to unbind sched context");

  const messages = ["running", "passive", "echo server"];
  for (const message of messages) {
    let m = 0;
    for (; m < message.length && m < seL4_MsgMaxLength; m++) {
      seL4_SetMR(m, message.charCodeAt(m));
    }
    seL4_Call(endpoint, seL4_MessageInfo_new(0, 0, 0, m));
  }

  //@task mcs-badge always
  //@before
  // TODO mcs-badge: reconfigure sched_context with a 1 s period, a 500 µs budget, 0 extra refills
  // and data 5.
  //@completed
  // reconfigure sched_context with a 1 s period, a 500 µs budget, 0 extra refills and data 5
  error = seL4_SchedControl_Configure(sched_control, sched_context, 500, US_IN_S, 0, 5);
  ZF_LOGF_IF(error !== seL4_NoError, "Failed to configure sched_context");
  //@end

  //@task mcs-fault always
  //@before
  // TODO mcs-fault: set endpoint as the timeout fault handler of spinner_tcb.
  //@completed
  // set endpoint as the timeout fault handler of spinner_tcb
  error = seL4_TCB_SetTimeoutEndpoint(spinner_tcb, endpoint);
  ZF_LOGF_IF(error !== seL4_NoError, "Failed to set timeout fault endpoint for spinner");
  //@end

  error = seL4_SchedContext_Bind(sched_context, spinner_tcb);
  ZF_LOGF_IF(error !== seL4_NoError, "Failed to bind sched_context to spinner_tcb");

  const info = seL4_Recv(endpoint, reply).info;
  // decode the fault from the message
  const fault = seL4_getArchFault(info);
  ZF_LOGF_IF(seL4_Fault_get_seL4_FaultType(fault) !== seL4_Fault_Timeout, "Not a timeout fault");
  printf("Received timeout fault\n");
  ZF_LOGF_IF(seL4_Fault_Timeout_get_data(fault) !== 5, "Incorrect data");

  printf("Success!\n");
  return 0;
}
