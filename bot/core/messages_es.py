"""Every sentence of `bot.core.messages` in Spanish, by name (same placeholders)."""

from __future__ import annotations

ES: dict[str, str] = {
    "UNKNOWN_PERSON": (
        "No le encuentro en el directorio de la organización, así que todavía no puedo recibir solicitudes suyas. "
        "Pida a {contact} que agregue su correo electrónico de trabajo."
    ),
    "HELP_CONTACT": "su administrador",
    "HELP_INTRO": (
        "Convierto solicitudes escritas con sus propias palabras en formularios estándar y las envío para aprobación. "
        "Puedo ayudarle con:"
    ),
    "HELP_TAIL": (
        'Solo describa lo que necesita, p. ej., "necesitamos 3 monitores para 4 Oeste, centro de costos 4410, unos '
        '$900". También puede preguntar "estado de REQ-1001", "qué tengo que aprobar" o escribir "cancelar".'
    ),
    "OUT_OF_SCOPE": "Lo siento, con eso no puedo ayudarle aquí. Atiendo solicitudes de servicios administrativos:",
    "REFUSED": (
        "Lo siento, con eso no puedo ayudarle aquí. Atiendo solicitudes administrativas: compras, reparaciones y "
        "órdenes de trabajo, accesos a sistemas, contrataciones y cambios de personal, proveedores, facturas, centros "
        'de costos y contratos; escriba "ayuda" para ver la lista.'
    ),
    "CLINICAL_RESOURCE": (
        "las referencias clínicas de su unidad, o pregunte al farmacéutico o a la enfermera a cargo del turno"
    ),
    "GREETING": (
        "¡Hola! Dígame qué necesita — una compra, una reparación, acceso a un sistema, la preparación para un nuevo "
        "ingreso — y llenaremos juntos el formulario."
    ),
    "THANKS": "¡Con gusto! Si necesita algo más, solo dígamelo.",
    "WHO_I_AM": (
        "Soy Front Door, el asistente de solicitudes de servicio: un asistente automatizado, no una persona. Dígame "
        'qué necesita y lo convertiré en una solicitud que enviaré para aprobación; escriba "ayuda" para ver lo que '
        "puedo hacer."
    ),
    "CLINICAL": (
        "No puedo ayudar con preguntas clínicas; por favor, consulte {resource}. Atiendo solicitudes administrativas: "
        "compras, reparaciones, accesos a sistemas, recursos humanos, proveedores, facturas y contratos."
    ),
    "WHICH_TYPE": (
        'No estoy seguro de qué solicitud es: ¿{choices}? Dígame cuál (o escriba "ayuda" para ver todo lo que hago).'
    ),
    "POLICY": (
        "Cada tipo de solicitud tiene sus propios aprobadores y tiempos de servicio; el formulario los muestra cuando "
        'usted inicia una, y la tarjeta de aprobación indica quién decide cada paso. Escriba "ayuda" para ver los '
        "tipos de solicitud."
    ),
    "NOTHING_TO_CANCEL": "No hay nada en curso que cancelar.",
    "TO_WITHDRAW": 'Para retirarla, escriba "retirar {ref}".',
    "DRAFT_CANCELLED": "Cancelado: no se envió nada.",
    "STALE_FORM": "Ese formulario cambió desde que se le mostró. Aquí tiene la versión más reciente para revisarla.",
    "NOT_YOUR_DRAFT": (
        "Ese formulario es la solicitud de {name}; solo esa persona puede confirmarlo, editarlo o cancelarlo."
    ),
    "ALREADY_SUBMITTED": "Ya se envió como {line}.",
    "ALREADY_CANCELLED": "Ese formulario se canceló: no se envió nada. Dígame qué necesita para empezar de nuevo.",
    "SET_ASIDE": (
        "Ese formulario quedó en pausa cuando usted inició otra solicitud: no se envió nada. "
        "Dígame qué necesita para empezar de nuevo."
    ),
    "NO_DRAFT": "Ese formulario ya no está abierto: no se envió nada. Dígame qué necesita para empezar de nuevo.",
    "EDIT_PROMPT": '¿Qué desea cambiar? Por ejemplo: "cantidad 4" o "centro de costos CC-4400".',
    "NO_APPROVALS": "En este momento no hay nada pendiente de su aprobación.",
    "NO_REQUESTS": "Todavía no tiene solicitudes.",
    "OWN_REQUEST": "No puede aprobar su propia solicitud; necesita la decisión de otra persona.",
    "ANSWER_THANKS": "Gracias. Ya le hice llegar su respuesta a {approver} sobre {ref}.",
    "NOTHING_MISSING": "No se necesita nada más. ",
    "THE_TYPE": "{title}",
    "NOTED_LATER": "Cuando terminemos esta, retomaré lo otro: {what}. ",
    "OFFER_LATER": "También mencionó otra solicitud: {what}. ¿La inicio ahora?",
    "START_LATER": "Ahora sigamos con su {title}. ",
    "LATER_DECLINED": "De acuerdo, no iniciaré el formulario de {title}. Si necesita algo más, solo dígamelo.",
    "PICK_CHOICE": "Todavía necesito el dato «{label}»: elija una opción abajo o escríbala ({choices}).",
    "FILL_IN_FORM": (
        "Todavía necesito el dato «{label}». Escríbalo o pulse Editar para llenar el formulario; esto es lo que tengo "
        "hasta ahora."
    ),
    "COULD_NOT_USE": "No pude usar parte de eso: {errors}",
    "A_FEW_MINUTES": "unos minutos",
    "MINUTES": "{n} minutos",
    "ONE_HOUR": "1 hora",
    "HOURS": "{n} horas",
    "DAYS": "{n} días",
    "AND": " y ",
    "STILL_NEEDED": "Para terminar su {title} todavía necesito estos datos: {needed}. ",
    "NOTHING_SUBMITTED": "Todavía no se ha enviado nada. ",
    "NOTHING_SUBMITTED_NEEDS": "Todavía no se ha enviado nada: al formulario aún le faltan estos datos: {needed}. ",
    # A submitted request's life in words.
    "WITHDRAWN": "Retiré {ref} ({title}): ya no se hará nada más con esta solicitud.",
    "WITHDRAWN_TOLD": " Ya le avisé a {who}.",
    "WITHDRAWN_APPROVER": "{name} retiró {ref} ({title}); ya no necesita su decisión.",
    "WITHDRAWN_CARD": "Retirada por {name} el {when}. No hay nada que decidir.",
    "WITHDRAW_ASKED": (
        "{ref} ya está con el equipo de {team}, así que le pedí a su sistema que la retire; le avisaré en cuanto "
        "responda (puede negarse si el trabajo ya comenzó)."
    ),
    "WITHDRAW_CONFIRMED": "Se retiró {ref}: el sistema del equipo de {team} la canceló, como usted pidió.",
    "WITHDRAW_REFUSED": "El sistema del equipo de {team} no pudo retirar {ref}: {why}. {contact}",
    "WITHDRAW_FINAL": "{ref} ya estaba {status}; no hay nada que retirar.",
    "WITHDRAW_STARTED": "{ref} ya no se puede retirar: el equipo de {team} ya comenzó a trabajar en ella. {contact}",
    "NOT_YOUR_REQUEST": "Solo puede retirar sus propias solicitudes, y {ref} no es una de ellas.",
    "EXPIRED_STEP": "{ref} venció: nadie la decidió a tiempo, así que no hay nada que decidir.",
    "EXPIRED_CARD": "Vencida el {when}: nadie la decidió en {days} días hábiles. No hay nada que decidir.",
    "EXPIRED_APPROVER": "{ref} ({title}) venció tras esperar más de {days} días hábiles; ya no necesita su decisión.",
    "EXPIRED": (
        "{ref} ({title}) venció: esperó más de {days} días hábiles una decisión de {waiting} y nadie la decidió, así "
        "que la cerré y avisé al equipo de servicio. Pulse Reenviar para enviarla de nuevo como un formulario nuevo."
    ),
    "EXPIRED_CONFIRMATION": "Vencida el {when}.",
    "NOT_YOURS_TO_RESUBMIT": "Solo puede volver a enviar sus propias solicitudes, y {ref} no es una de ellas.",
    "NOT_EXPIRED": (
        "{ref} está {status}; solo una solicitud vencida o rechazada se puede volver a enviar con Reenviar."
    ),
    "WITHDRAWN_STEP": "{ref} fue retirada por quien la solicitó; no hay nada que decidir.",
    "NO_SUCH_REQUEST": "No encuentro {ref} entre sus solicitudes.",
    "NO_BUTTON_REQUEST": "No encuentro la solicitud a la que correspondía ese botón.",
    "NO_MATCH": "No encuentro ninguna solicitud suya sobre {what}. Sus solicitudes más recientes:\n{lines}",
    "NO_RECENT": "Todavía no tiene solicitudes.",
    "WHICH_REQUEST": "¿A qué solicitud se refiere? Indique su número:\n{lines}",
    "TYPED_APPROVED": "Listo: aprobó {ref}.",
    "TYPED_REJECTED": "Listo: rechazó {ref}{reason}. Ya se le avisó a {name}.",
    "TYPED_WHICH": (
        '¿A cuál se refiere? Esto es lo que espera su decisión: pulse un botón o escriba, p. ej., "aprobar {ref}".'
    ),
    "NOT_YOURS_TO_DECIDE": "No puede decidir sobre {ref}: {why}",
    "NOTHING_TO_DECIDE": "{ref} no tiene ninguna aprobación pendiente (está {status}).",
    "NOT_INVOLVED": (
        "Solo puedo mostrar una solicitud a las personas que participan en ella, y usted no participa en {ref}."
    ),
    "NOT_REJECTED": "{ref} no fue rechazada (está {status}), así que no hay nada que volver a enviar.",
    "RESUBMIT_LEAD": "Retomé {ref} como un formulario nuevo{changed}. ",
    "RESUBMIT_UNCHANGED": (
        'No pude entender qué cambiar con eso, así que quedó igual; indique el cambio ("costo estimado $2,300") o '
        "pulse Editar. "
    ),
    "HUMAN": "Para su {title}, el equipo de {team} puede ayudarle: {contact}.",
    "HUMAN_GENERAL": "Para hablar con una persona, comuníquese con {contact}.",
    "HUMAN_TAIL": " Soy un asistente automatizado; también puedo tomar la solicitud aquí en el chat.",
    "CONTACT_TEAM": "Comuníquese con el equipo de {team} ({contact}) si es necesario detenerla.",
    "DELEGATE_UNKNOWN": (
        "No encuentro a esa persona en el directorio, así que no se delegó nada; indique el correo electrónico de "
        "trabajo de un colega."
    ),
    "DELEGATE_AMBIGUOUS": (
        "{who!r} podría ser {names}; no se delegó nada. Indique cuál (su correo electrónico de trabajo)."
    ),
    "DELEGATE_SELF": "No puede delegar sus aprobaciones en usted mismo; indique un colega que pueda aprobar por usted.",
    "DELEGATE_REQUESTER": (
        "{name} pidió {ref}, que espera su aprobación, y no puede aprobar su propia solicitud; no se delegó nada. "
        "Indique a otra persona."
    ),
    "DELEGATE_UNTIL_WHEN": (
        '¿Hasta cuándo debe {name} aprobar por usted? Indique una fecha, p. ej., "hasta el viernes" o '
        '"14 de diciembre".'
    ),
    "NO_DELEGATION": "No tiene ninguna delegación activa.",
    "DELEGATION_SHOWN": 'Sus aprobaciones están delegadas. Termine la delegación aquí o escriba "ya volví".',
    "DELEGATE_DROPPED": "De acuerdo, no se delegó nada; sus aprobaciones siguen con usted.",
    # Approvals: submission, cards, decisions, questions to the requester.
    "STAND_IN_ONLY_HOLDER": (
        "La aprobación de {label} la dará {name}, ya que usted es la única persona que aprueba por {label}."
    ),
    "STAND_IN_OWN_MANAGER": "La aprobación del jefe inmediato la dará {name}.",
    "STAND_IN_DELEGATED": (
        "La aprobación del jefe inmediato la dará {name}, ya que por ahora usted tiene las aprobaciones de {manager}."
    ),
    "SUBMITTED_NO_APPROVAL": "Se envió {ref} ({title}). No necesita aprobación.",
    "RESPOND_WITHIN_TEAM": " El equipo de {team} responderá en un plazo de {hours:g} horas.",
    "RESPOND_WITHIN": " El equipo de servicio responderá en un plazo de {hours:g} horas.",
    "SUBMITTED_NEEDS": "Se envió {ref} ({title}). Necesita la aprobación de {approvers}. Le avisaré en cada paso.",
    "THEN": ", luego ",
    "YOUR_MANAGER_NAMED": "su jefe inmediato ({name})",
    "YOUR_MANAGER": "su jefe inmediato",
    "WAITING_DUE": "Esperando a {label} · vence el {due}",
    "STEP_FOR": "{name}, por {role}",
    "CARD_REQUESTER": "Solicitante",
    "CARD_STEP": "Paso",
    "ASKS_APPROVAL": "{name} solicita la aprobación de {ref} ({title}).",
    "ONLY_PERSON_DECIDES": "Solo {name} puede decidir este paso de {ref}.",
    "ONLY_TEAM_DECIDES": "Solo el equipo de {role} puede decidir este paso de {ref}.",
    "NO_REQUEST_NAMED": "No encuentro la solicitud {ref}.",
    "NO_APPROVAL_WAITING": "{ref} no tiene ninguna aprobación pendiente.",
    "NOT_REACHED": "{ref} todavía no ha llegado a ese paso.",
    "ALREADY_DECIDED": "Este paso de {ref} ya fue {status} por {who} el {when}.",
    "STEP_CLOSED": "Ese paso de {ref} está {status}; no hay nada que decidir.",
    "APPROVED_BY": "Aprobado por {who} el {when}.",
    "REJECTED_BY": "Rechazado por {who} el {when}.",
    "DECIDED_BY": "{status} por {who} el {when}.",
    "REASON": " Motivo: {reason}",
    "NO_REASON": " No se indicó ningún motivo.",
    "REJECTED_NOTICE": "{who} rechazó {ref}.{reason}",
    "APPROVED_NEXT": "{who} aprobó {ref}. Ahora sigue la aprobación de {label}.",
    "APPROVED_FULLY": "{who} aprobó {ref}. Ya tiene todas las aprobaciones y va en camino al equipo de servicio.",
    "INFO_DEFAULT_QUESTION": "¿Podría darme más detalles sobre esta solicitud?",
    "ASKED_INFO_CARD": "{who} pidió más información: {question}",
    "INFO_NEEDED": "{who} necesita más información sobre {ref}: {question}\nResponda aquí y se la haré llegar.",
    "ANSWERED_CARD": "{name} respondió: {text}",
    "ANSWERED_NOTICE": "{name} respondió sobre {ref}: {text}",
    # Request statuses (a request, "la solicitud", is feminine: "{ref} está …").
    "STATUS_PENDING_APPROVAL": "en espera de aprobación",
    "STATUS_APPROVED": "aprobada, en manos del equipo de servicio",
    "STATUS_REJECTED": "rechazada",
    "STATUS_CANCELLED": "cancelada",
    "STATUS_EXPIRED": "vencida (nadie la decidió a tiempo)",
    "STATUS_SUBMITTED": "enviada al equipo de servicio",
    "STATUS_IN_PROGRESS": "en curso",
    "STATUS_FULFILLED": "completada",
    "STATUS_FAILED": "fallida",
    "STATUS_RECEIVED": "recibida por el equipo de servicio",
    # Step statuses (a step, "el paso", is masculine: "Este paso está …").
    "STEP_APPROVED": "aprobado",
    "STEP_REJECTED": "rechazado",
    "STEP_CANCELLED": "cancelado",
    "STEP_SKIPPED": "omitido",
    "STEP_ACTIVE": "esperando una decisión",
    "STEP_PENDING": "pendiente (aún no llega su turno)",
    "STEP_INFO_REQUESTED": "esperando más información",
    # The conversation: forms asked for, shown, closed.
    "BACK_TO": "\n\nVolvamos a su {title}: {still}{ask}",
    "STILL_NEED": "Todavía necesito estos datos: {needed}. ",
    "OR": " o ",
    "A_TYPE": "{title}",
    "AN_TYPE": "{title}",
    "SET_ASIDE_NOTE": "(Dejé en pausa el formulario de {title} que usted había iniciado). ",
    "LETS_SET_UP": "Preparemos su {title}. ",
    "HERE_IS_FORM": "Aquí está el formulario de su {title}. Confírmelo para enviarlo, o edítelo.",
    "PLEASE_CHECK": " Por favor, revise estos datos: {labels}; no estoy seguro de haberlos entendido bien.",
    "GOT_IT": "Anotado ({values}). ",
    "SUBMITTED_AS": "Se envió como {ref}.",
    "WITH_THE": ", con {values}",
    # An unfinished form: a question about something else asked in the middle of it, and the one nudge.
    "ASIDE_NOT_SENT": (
        "El formulario de {title} todavía no se ha enviado, así que nadie lo ha visto: se envía cuando usted lo "
        "confirme, y a partir de ahí le mantendré al tanto."
    ),
    "ASIDE_NO_APPROVAL": (
        "Su {title} no necesita aprobación: cuando confirme el formulario, irá directamente al equipo de {team}."
    ),
    "ASIDE_APPROVERS": "Tal como está, su {title} necesita la aprobación de {approvers}.",
    "ASIDE_THEN": ", luego ",
    "ASIDE_YOUR_MANAGER": "su jefe inmediato ({name})",
    "ASIDE_YOUR_MANAGER_UNNAMED": "su jefe inmediato",
    "ASIDE_APPROVAL_TIME": (
        "Cada paso de aprobación tiene hasta {hours} horas hábiles para decidirse, y se le envía un recordatorio al "
        "aprobador antes de que se cumpla el plazo."
    ),
    "ASIDE_RESPONSE_TIME": "El equipo de {team} busca responder en un plazo de {hours} horas con esta prioridad.",
    "ASIDE_BACK": "\n\nVolvamos a su {title}: {ask}",
    "ASIDE_REVIEW_BACK": (
        "\n\nSu {title} está lista más arriba: pulse Confirmar para enviarla o Editar para hacer cambios."
    ),
    "NUDGE_MISSING": (
        "Su {what} todavía no se ha enviado; aún faltan estos datos: {needed}. Responda aquí o pulse Editar para "
        "llenar el formulario."
    ),
    "NUDGE_CONFIRM": (
        "Su {what} todavía no se ha enviado: solo falta confirmar. Pulse Confirmar para enviar o Editar para hacer "
        "cambios."
    ),
    "NUDGE_PICK": (
        "Su {what} todavía no se ha enviado: solo falta el dato «{needed}». Elija una opción abajo o escríbala."
    ),
    "NUDGE_WHAT": "{title} ({values})",
    "NUDGE_VALUE": "{label}: {value}",
    # Approval steps decided by several people.
    "ANY_OF_ROLE": "{count} aprobadores de {label}",
    "MORE_OF": "{label} ({count} más)",
    "MEMBER_APPROVER": "{name} ({role})",
    "CARD_APPROVED_SO_FAR": "Aprobaciones hasta ahora",
    "MEMBER_APPROVED": "{who} aprobó {ref}. Todavía se espera a {waiting}.",
    "DECIDED_ONCE": (
        "Usted ya decidió sobre {ref} (por {role}); cada aprobador decide una sola vez, así que esta parte le "
        "corresponde a otra persona."
    ),
    "CLOSED_BY_REJECTION": "Cerrada: {who} rechazó {ref}.",
    "SLOT_STAND_IN": (
        "La aprobación de {label} necesita {count} personas además de usted, así que {name} será una de ellas."
    ),
    # Status and details of a request.
    "STEP_WITH": ", paso {seq} con {who} (en espera desde hace {waited})",
    "STEP_WITH_ASKED": ", paso {seq} con {who} (pidió más información hace {waited})",
    "NOT_AMONG_YOURS": "No encuentro {ref} entre sus solicitudes.",
    "LATEST_REQUESTS": "Sus solicitudes más recientes:\n{lines}",
    "WAITING_FOR_YOU": "Pendientes de su aprobación ({count}):\n{lines}",
    "STEP_IS": "Este paso está {status}.",
    "REQUESTED_BY": "Solicitada por {name} el {when}.",
    "WHAT_IT_ASKS": "Qué se solicita:\n{lines}",
    "APPROVALS_LINES": "Aprobaciones:\n{lines}",
    "NOT_DECLINED": "{ref} no fue rechazada: está {status}.",
    "THEIR_REASON": 'Su motivo: "{reason}".',
    "NO_REASON_GIVEN": "No indicó ningún motivo.",
    "DECLINED_ON": "{who} rechazó {ref} el {when}. {said}",
    "NOBODY_SIGNS": "Nadie tiene que aprobar {ref} ahora: está {status}.",
    "THEN_LATER": " Después: {who}.",
    "WAITS_FOR": "{ref} está esperando a {who}.{then}",
    "DELEGATE_HOLDS": "{name} (por ahora sus aprobaciones las tiene {delegate})",
    "FOR_PERSON": "{delegate} en nombre de {name}",
    "STEP_DECIDED_LINE": "{label}: {status} por {who} el {when}{said}",
    "STEP_ASKED_LINE": "{label}: {who} pidió más información: {question}",
    "STEP_WAITING_LINE": "{label}: con {who}, en espera desde hace {waited}",
    "STEP_NOT_REACHED_LINE": "{label}: aún no llega su turno ({who})",
    # Cards.
    "REVIEW_TITLE": "Revisión: {title}",
    "EDIT_TITLE": "Edición: {title}",
    "DRAFT_TITLE": "Borrador: {title}",
    "REVIEW_STATUS": "Revise los datos y luego confirme para enviar.",
    "STILL_NEEDED_STATUS": "Aún falta: {needed}.",
    "BUTTON_CONFIRM": "Confirmar",
    "BUTTON_EDIT": "Editar",
    "BUTTON_CANCEL": "Cancelar",
    "BUTTON_SAVE": "Guardar",
    "BUTTON_APPROVE": "Aprobar",
    "BUTTON_REJECT": "Rechazar",
    "BUTTON_REQUEST_INFO": "Pedir información",
    "BUTTON_WITHDRAW": "Retirar",
    "BUTTON_END": "Terminar",
    "BUTTON_TAKE": "Tomar",
    "BUTTON_RESUBMIT": "Reenviar",
    "DELEGATED_TITLE": "Sus aprobaciones están delegadas",
    "CARD_DELEGATE": "Persona delegada",
    "CARD_UNTIL": "Hasta",
    # Limits.
    "TOO_LONG": (
        "Ese mensaje es demasiado largo para mí ({count} caracteres; leo hasta {most}). Por favor, envíe la "
        "solicitud en pocas oraciones: qué necesita, dónde y para cuándo. No se pierde nada de lo que ya me indicó."
    ),
    "COMMENT_TOO_LONG": (
        "Ese comentario tiene {count} caracteres; por favor, manténgalo por debajo de {most} e inténtelo de nuevo. "
        "No se cambió nada."
    ),
    "UNKNOWN_BUTTON": "Ese botón no corresponde a ninguna solicitud que yo conozca. No se cambió nada.",
    "VALUE_TOO_LONG": (
        "Uno de los valores que ingresó tiene {count} caracteres; por favor, mantenga cada uno por debajo de {most} "
        "y vuelva a enviarlo. No se cambió nada."
    ),
    # Delegation.
    "DELEGATED_TO_YOU": "{name} le delegó sus aprobaciones hasta el {until}.",
    "DELEGATION_STARTED": (
        'Hasta el {until}, sus aprobaciones irán a {name}. Escriba "terminar la delegación" para detenerla antes.'
    ),
    "DELEGATION_ENDED": "Delegación terminada: sus aprobaciones vuelven a llegarle a usted.",
    # Approval steps taken and handed on.
    "ASSIGN_UNKNOWN_PERSON": "No encuentro a esa persona en el directorio; indique su correo electrónico de trabajo.",
    "ASSIGN_SAY_WHOM": "Indique a quién asignar {ref}.",
    "ASSIGN_NO_SUCH": "No encuentro {ref}.",
    "ASSIGN_NO_SUCH_UNNAMED": "No encuentro esa solicitud.",
    "ASSIGN_OWN_REQUEST": "No puede reasignar la aprobación de su propia solicitud.",
    "ASSIGN_ONLY_APPROVERS": "Solo los aprobadores de {ref}, o su jefe inmediato, pueden reasignarla.",
    "ASSIGN_REASSIGN_TO": "Reasignar a {name}",
    "ASSIGN_ALREADY_YOURS": "{ref} ya está a su cargo.",
    "ASSIGN_ALREADY_HAS": "{ref} ya está a cargo de {who}.",
    "ASSIGN_ALREADY_SOMEONES": "Ese paso de {ref} ya está a cargo de alguien.",
    "ASSIGN_TAKEN_CARD": "Tomada por {name} el {when}. {status}",
    "ASSIGN_TAKEN": "{ref} queda a su cargo: los demás aprobadores de {label} verán que usted la tiene.",
    "ASSIGN_HANDLING": "{name} ({label}) se está encargando de {ref}.",
    "ASSIGN_NOT_ELIGIBLE": "{name} no puede decidir ese paso de {ref}; se puede asignar a: {names}.",
    "ASSIGN_NOBODY_ELSE": "nadie más",
    "ASSIGN_JUST_GIVEN": "{ref} se acaba de asignar a {name}.",
    "ASSIGN_REASSIGNED_CARD": "Reasignada a {name} por {by} el {when}.",
    "ASSIGN_GIVEN_YOU": "{by} le asignó {ref} ({title}) para que la decida, por {label}.",
    "ASSIGN_DONE": "Listo: {ref} ({label}) ahora está con {name}; ya le envié la tarjeta.",
    "ASSIGN_NOW_WITH": "La aprobación de {label} de {ref} ahora está con {name}.",
    # Reminders and escalations.
    "LADDER_WHAT": "{ref} ({title} de {requester}: {summary})",
    "LADDER_WHAT_SHORT": "{ref} ({title})",
    "LADDER_REMINDER": "Recordatorio: {what} está esperando su {asked}. Ya lleva {waited} en espera.",
    "LADDER_OVERDUE": (
        "Atrasada: {what} ya superó su plazo de aprobación y espera su {asked}. Lleva {waited} esperando."
    ),
    "LADDER_TAKING_LONGER": (
        "{ref} ({title}) está tardando más de lo debido: lleva {waited} esperando. Quién debe decidir: {approvers}. "
        "Ya le envié un recordatorio."
    ),
    "LADDER_ESCALATION": (
        "Escalamiento: {what} lleva {waited} esperando una {asked}. Quién debe decidir: {approvers}. {follow}"
    ),
    "LADDER_REASSIGN_OR_DECIDE": "¿Podría reasignarla a otro aprobador o decidirla usted?",
    "LADDER_REASSIGN_OR_FOLLOW": "¿Podría reasignarla a otro aprobador o darle seguimiento?",
    "LADDER_FOLLOW_OR_DECIDE": "¿Podría darle seguimiento o decidirla usted?",
    "LADDER_FOLLOW_UP": "¿Podría darle seguimiento?",
    "LADDER_INFO_NUDGE": (
        "Recordatorio: {ref} ({title}) está en pausa hasta que usted responda la pregunta que le hizo {approvers}: "
        '"{question}" Lleva {waited} esperando. Responda aquí para continuar.'
    ),
    "LADDER_A_WHILE": "un tiempo",
    "LADDER_ONE_MINUTE": "1 minuto",
    "LADDER_MINUTES": "{n} minutos",
    "LADDER_ONE_HOUR": "1 hora",
    "LADDER_HOURS": "{n} horas",
    "LADDER_DAYS": "{n} días",
    "LADDER_UNDER_BUSINESS_HOUR": "menos de una hora hábil",
    "LADDER_ONE_BUSINESS_HOUR": "1 hora hábil",
    "LADDER_BUSINESS_HOURS": "{n} horas hábiles",
    "LADDER_WAITED_COUNTED": "{wall} ({business})",
    "REMIND_DECISION": "decisión (paso {seq}, {label})",
    "REMIND_THE_APPROVER": "el aprobador",
    "REMIND_STANDING_IN": "{name}, en reemplazo de {absent}",
    "REMIND_ROLE_TEAM": "el equipo de {label}",
    # Cards that could not be delivered.
    "DEAD_CARD_LEAD": (
        "{name} solicita la aprobación de {ref}: su tarjeta no se pudo entregar en {where}, así que le llega a usted "
        "directamente."
    ),
    "DEAD_SENT_TO": (
        "La tarjeta de aprobación de {ref} no se pudo entregar en {where}, así que se la envié directamente a {names}."
    ),
    "DEAD_NOT_SENT": (
        "La tarjeta de aprobación de {ref} no se pudo entregar en {where}. Los administradores de Front Door pueden "
        "verla y enviarla de nuevo; quizá también quiera avisarle al aprobador."
    ),
    # The service team's system.
    "BACKEND_QUEUED": (
        "El sistema del equipo de servicio no está disponible en este momento. {ref} quedó guardada y en cola; se "
        "entregará automáticamente, una sola vez, en cuanto el sistema vuelva a estar disponible."
    ),
    "BACKEND_DELIVERED_LATE": "{ref} ya llegó al sistema del equipo de servicio.",
    "BACKEND_REFUSED": (
        "El sistema del equipo de servicio rechazó {ref}: {error}. No se envió nada más; por favor, comuníquese con "
        "la mesa de servicio."
    ),
    "BACKEND_ANSWERED": "respondió {status}",
    "NEWS_IN_PROGRESS": "Novedades de {ref}: ya está en curso.{reason}",
    "NEWS_FULFILLED": "Novedades de {ref}: ya se completó.{reason}",
    "NEWS_FAILED": "Novedades de {ref}: no se pudo completar.{reason}",
    "NEWS_CANCELLED": "Novedades de {ref}: el equipo de servicio la canceló.{reason}",
    "NEWS_STEP_CLOSED": "Cerrado: el equipo de servicio informa que la solicitud está {status}.",
    "CANCELLED_AT": "Cancelada el {when}.",
    "WITHDRAWN_AT": "Retirada el {when}.",
    "EXPIRED_STATUS": "Vencida",
    "SERVICE_TEAM": "servicio",
    "NOT_WAITING_FOR_YOU": "no está esperando su decisión.",
    "TYPED_REASON": ' ("{reason}")',
    # Around the cards: App Home, modals, short answers to a press.
    "HOME_DELEGATION": "Mi delegación",
    "HOME_REQUESTS": "Mis solicitudes",
    "HOME_WAITING": "Pendientes de mi aprobación",
    "HOME_NOTHING_WAITING": "No hay nada pendiente de su aprobación.",
    "HOME_MORE": "… y {count} más. Pregúnteme “qué tengo que aprobar” para verlas todas.",
    "MORE_FIELDS": "… y {count} campos más.",
    "MODAL_CLOSE": "Cerrar",
    "MODAL_SEND": "Enviar",
    "MODAL_START": "Iniciar",
    "MODAL_NEW_REQUEST": "Nueva solicitud",
    "MODAL_WHAT_DO_YOU_NEED": "¿Qué necesita?",
    "MODAL_WHY_REJECT": "¿Por qué la rechaza?",
    "MODAL_WHAT_TO_KNOW": "¿Qué necesita saber?",
    "MODAL_STEP": "{ref} · paso {seq}",
    "MODAL_SAVING": "Guardando",
    "MODAL_CHECKING": "Revisando sus cambios…",
    "MODAL_SAVED": "Guardado",
    "MODAL_SAVED_TEXT": "Sus cambios quedaron guardados. Le respondí en nuestra conversación.",
    "CONTINUE_IN_DM": "Entendido; continuaré con usted en los mensajes directos.",
    "TEAMS_BUSY": (
        "Teams está ocupado y no pude verificar su identidad en este momento. Por favor, inténtelo de nuevo en un "
        "minuto."
    ),
    "UNKNOWN_BUTTON_PRESSED": "No reconozco ese botón.",
    "REQUEST_GONE": "Esta solicitud ya no está disponible.",
    "DONE": "Listo.",
    "COMMENT_LABEL": "Motivo o pregunta",
    "COMMENT_PLACEHOLDER": "Obligatorio para Rechazar y Pedir información",
    # Approval figures asked for in chat.
    "INSIGHT_NOT_ALLOWED": (
        "Puedo mostrar las cifras de aprobación a jefes, a quienes tienen un rol de aprobación y a las personas "
        "autorizadas para ver estos indicadores; usted no está en ninguno de esos grupos."
    ),
    "INSIGHT_UNKNOWN_TEAM": (
        "No conozco ningún equipo llamado “{name}”: indique un rol (como Finance), una entidad legal o un centro de "
        "costos."
    ),
    "INSIGHT_ALL": "Todas las aprobaciones",
    "INSIGHT_YOUR_TEAM": "Las aprobaciones de su equipo",
    "INSIGHT_DECIDED": (
        "{whose}, últimas {weeks} semanas: {decided} decididas, {within} % dentro del SLA, mediana de {median} horas "
        "hábiles para decidir."
    ),
    "INSIGHT_NONE_DECIDED": "{whose}: no se decidió nada en las últimas {weeks} semanas.",
    "INSIGHT_OPEN": (
        "Abiertos ahora: {steps}, {past} fuera del SLA, {risk} en riesgo de incumplirlo en menos de un día hábil."
    ),
    "INSIGHT_TEAM": "{decided} {waiting} Detalles: {link}",
    "INSIGHT_LATE_STEP": "{ref} ({type}, {hours} horas hábiles esperando a {who})",
    "INSIGHT_NOTHING_OVERDUE": "No hay nada atrasado.",
    "INSIGHT_NOTHING_OVERDUE_IN": "No hay nada atrasado en {name}.",
    "INSIGHT_OVERDUE": "Atrasados: {steps} fuera del SLA — {shown}{more}.",
    "INSIGHT_OVERDUE_IN": "Atrasados en {name}: {steps} fuera del SLA — {shown}{more}.",
    "INSIGHT_AND_MORE": " y {count} más",
    "INSIGHT_AT_RISK": "{head} {risk} más en riesgo de incumplir el SLA en menos de un día hábil. Detalles: {link}",
    "INSIGHT_ONE_STEP": "1 paso",
    "INSIGHT_STEPS": "{count} pasos",
    "INSIGHT_WEEKLY": (
        "Aprobaciones de {role}, del {since} al {until}: decisiones tomadas: {decided}, mediana de {median} horas "
        "hábiles para decidir. {waiting} Detalles: {link}"
    ),
    "INSIGHT_WEEKLY_NONE_DECIDED": (
        "Aprobaciones de {role}, del {since} al {until}: no se decidió nada. {waiting} Detalles: {link}"
    ),
}
