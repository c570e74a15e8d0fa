// The timer server: receives the client's request, maps the HPET's registers, sets up its
// interrupt, counts 1 ms ticks until the requested time has passed, then replies.
import {
  CONFIG_KERNEL_MCS, assert, printf, ZF_LOGF_IF,
  seL4_Recv, seL4_ReplyRecv, seL4_Wait, seL4_GetMR, seL4_SetMR, seL4_MessageInfo_get_length,
  seL4_Untyped_Retype, seL4_X86_Page_Unmap, seL4_X86_Page_Map, seL4_X86_4K, seL4_AllRights,
  seL4_X86_Default_VMAttributes, seL4_IRQControl_GetIOAPIC, seL4_IRQHandler_SetNotification, seL4_IRQHandler_Ack,
  seL4_WordBits,
} from "sel4";
import {
  endpoint, ntfn, device_untyped, timer_frame, cnode, vspace, frame, irq_control, irq_handler, reply, timer_vaddr,
} from "./cspace_timer";
import {
  TIMER_IOAPIC_PIN, timer_init, timer_start, timer_set_timeout, timer_handle_irq, timer_stop, type timer_drv_t,
} from "./timer_driver";

/** The badge of the client's endpoint cap. */
const EP_BADGE = 61;
const DEFAULT_TIMER_ID = 0;
const NS_IN_MS = 1_000_000;

// The HPET's interrupt on this PC: IOAPIC 0, pin TIMER_IOAPIC_PIN, level-triggered, active high.
const TIMER_IOAPIC = 0;
const LEVEL_TRIGGERED = 1;
const ACTIVE_HIGH = 0;
/** The vector we ask for: seL4 counts vectors from its first user IRQ (16), so this is IRQ 42. */
const TIMER_IRQ_VECTOR = 26;

export function main(): number {
  // Wait for a message.
  const { info: tag, badge: sender_badge } = CONFIG_KERNEL_MCS ? seL4_Recv(endpoint, reply) : seL4_Recv(endpoint);

  // Make sure the message is what we expected.
  assert(sender_badge === EP_BADGE);
  assert(seL4_MessageInfo_get_length(tag) === 1);

  // The message: how many seconds to sleep.
  const msg = seL4_GetMR(0);
  printf("timer: got a message from %u to sleep %zu seconds\n", sender_badge, msg);

  // Retype the device untyped (the HPET's page of physical memory) into a frame.
  let error = seL4_Untyped_Retype(device_untyped, seL4_X86_4K, 0, cnode, 0, 0, timer_frame, 1);
  ZF_LOGF_IF(error, "Failed to retype device untyped");

  // Unmap the frame at timer_vaddr, so that the device frame can go there.
  error = seL4_X86_Page_Unmap(frame);
  ZF_LOGF_IF(error, "Failed to unmap frame");

  // Map the device frame: the HPET's registers are now at timer_vaddr.
  error = seL4_X86_Page_Map(timer_frame, vspace, timer_vaddr, seL4_AllRights, seL4_X86_Default_VMAttributes);
  ZF_LOGF_IF(error, "Failed to map device frame");

  const timer_drv: timer_drv_t = { reg_base: 0, timer_id: 0, period_fs: 0 };

  //@task timer-get always
  //@before
  // TODO timer-get: invoke irq_control to put the IRQ handler for the HPET's interrupt in the
  // irq_handler slot (depth seL4_WordBits): IOAPIC TIMER_IOAPIC, pin TIMER_IOAPIC_PIN,
  // LEVEL_TRIGGERED, ACTIVE_HIGH, vector TIMER_IRQ_VECTOR.
  //@completed
  // Put the IRQ handler for the HPET's interrupt (IRQ 42) in the irq_handler slot.
  error = seL4_IRQControl_GetIOAPIC(irq_control, cnode, irq_handler, seL4_WordBits,
    TIMER_IOAPIC, TIMER_IOAPIC_PIN, LEVEL_TRIGGERED, ACTIVE_HIGH, TIMER_IRQ_VECTOR);
  ZF_LOGF_IF(error, "Failed to get irq capability");
  //@end

  //@task timer-set always
  //@before
  // TODO timer-set: set ntfn as the notification for irq_handler.
  //@completed
  // Set ntfn as the notification for irq_handler.
  error = seL4_IRQHandler_SetNotification(irq_handler, ntfn);
  ZF_LOGF_IF(error, "Failed to set notification");
  //@end

  // Set up the timer driver.
  let timer_err = timer_init(timer_drv, DEFAULT_TIMER_ID, timer_vaddr);
  ZF_LOGF_IF(timer_err, "Failed to init timer");

  timer_err = timer_start(timer_drv);
  ZF_LOGF_IF(timer_err, "Failed to start timer");

  // Ack the IRQ in case an interrupt is pending from before.
  error = seL4_IRQHandler_Ack(irq_handler);
  ZF_LOGF_IF(error, "Failed to ack irq");

  timer_err = timer_set_timeout(timer_drv, NS_IN_MS, true);
  ZF_LOGF_IF(timer_err, "Failed to set timeout");

  let count = 0;
  for (;;) {
    // Handle the timer interrupt.
    seL4_Wait(ntfn);
    timer_handle_irq(timer_drv);
    if (count === 0) {
      printf("Tick\n");
    }
    //@task timer-ack always
    //@before
    // TODO timer-ack: ack the interrupt.
    //@completed
    // Ack the interrupt.
    error = seL4_IRQHandler_Ack(irq_handler);
    ZF_LOGF_IF(error, "Failed to ack irq");
    //@end

    count++;
    if (count === 1000 * msg) {
      break;
    }
  }

  // Stop the timer.
  timer_stop(timer_drv);

  // Reply with 0 in the first message register.
  seL4_SetMR(0, 0);
  if (CONFIG_KERNEL_MCS) {
    seL4_ReplyRecv(endpoint, tag, reply);
  } else {
    seL4_ReplyRecv(endpoint, tag);
  }
  return 0;
}
